package render

import (
	"regexp"
	"strconv"
	"strings"
)

// templateLocation is a file:line[:column] in a Helm error, such as
// "minio/templates/statefulset.yaml:12:20".
var templateLocation = regexp.MustCompile(`([\w.\-/]+):(\d+)(?::(\d+))?`)

// templateProblem turns a render error into a problem at the template
// file and line it names. Errors from nested includes name several
// places; the last is where the failing action is (the helper's line for
// an error inside a helper, the include's line for a missing helper).
func templateProblem(err error, valuesFile string, idx map[string]source) Problem {
	msg := err.Error()
	p := Problem{Kind: Broken, Message: "the chart does not render with " + valuesFile + ": " + msg}
	ms := templateLocation.FindAllStringSubmatch(msg, -1)
	for i := len(ms) - 1; i >= 0; i-- {
		src, ok := idx[ms[i][1]]
		if !ok {
			continue
		}
		p.File = src.path
		p.Line, _ = strconv.Atoi(ms[i][2])
		p.Column, _ = strconv.Atoi(ms[i][3])
		break
	}
	return p
}

var unpacking = regexp.MustCompile(`^error unpacking subchart (\S+) in \S+: `)

// loadProblem turns a loader error into a problem at the file it is
// about: "error unpacking subchart sub in minio: cannot load values.yaml:
// error converting YAML to JSON: yaml: line 3: ..." is about line 3 of
// charts/sub/values.yaml.
func loadProblem(err error) Problem {
	msg := err.Error()
	rest, dir := msg, ""
	for {
		m := unpacking.FindStringSubmatch(rest)
		if m == nil {
			break
		}
		dir += "charts/" + m[1] + "/"
		rest = rest[len(m[0]):]
	}
	p := Problem{Kind: Broken, File: dir + "Chart.yaml", Message: "the chart cannot be loaded: " + msg}
	if file, why, ok := strings.Cut(strings.TrimPrefix(rest, "cannot load "), ": "); ok && strings.HasPrefix(rest, "cannot load ") {
		p.File, p.Line = dir+file, yamlLine(why)
	}
	return p
}

var lineNumber = regexp.MustCompile(`line (\d+)`)

// yamlLine is the line a YAML error names, or 0.
func yamlLine(err any) int {
	var s string
	switch e := err.(type) {
	case error:
		s = e.Error()
	case string:
		s = e
	}
	if m := lineNumber.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}
