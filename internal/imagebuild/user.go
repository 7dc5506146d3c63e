package imagebuild

import (
	"fmt"
	"strconv"
	"strings"
)

// ResolveUser resolves a Dockerfile USER value ("", "name", "uid",
// "name:group", "uid:gid", …) to the uid and gid a container of the image
// runs as, the way the engine does: numbers are taken as they are, names
// are looked up in the image's /etc/passwd and /etc/group; no USER is
// root. A name the files lack is an error (the engine would refuse to
// start the container).
func ResolveUser(user string, passwd, group []byte) (uid, gid string, err error) {
	u, g, hasGroup := strings.Cut(strings.TrimSpace(user), ":")
	if u == "" {
		u = "0"
	}
	primary := ""
	if isNumber(u) {
		uid = u
		if e, ok := lookup(passwd, 2, uid); ok {
			primary = e[3]
		}
	} else {
		e, ok := lookup(passwd, 0, u)
		if !ok {
			return "", "", fmt.Errorf("no user %q in /etc/passwd", u)
		}
		uid, primary = e[2], e[3]
	}
	switch {
	case !hasGroup || g == "":
		gid = primary
		if gid == "" {
			gid = "0"
		}
	case isNumber(g):
		gid = g
	default:
		e, ok := lookup(group, 0, g)
		if !ok {
			return "", "", fmt.Errorf("no group %q in /etc/group", g)
		}
		gid = e[2]
	}
	return uid, gid, nil
}

func isNumber(s string) bool {
	_, err := strconv.ParseUint(s, 10, 32)
	return err == nil
}

// lookup finds the first line of a colon-separated database (passwd,
// group) whose field col is value; passwd lines have 7 fields, group
// lines 4, and lines with fewer than 4 are skipped.
func lookup(db []byte, col int, value string) ([]string, bool) {
	for _, l := range strings.Split(string(db), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, ":")
		if len(f) < 4 {
			continue
		}
		if f[col] == value {
			return f, true
		}
	}
	return nil, false
}
