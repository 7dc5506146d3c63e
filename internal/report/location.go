package report

import (
	"os"
	"path/filepath"
)

// place is what a finding's file is on disk, seen from the working
// directory (report paths are as the user typed them from there).
type place int

const (
	absent place = iota // nothing at that path
	isFile              // a file an editor can open at a line
	isDir               // a folder: where something missing belongs
)

func placeOf(p string) place {
	if p == "" {
		return absent
	}
	info, err := os.Stat(filepath.FromSlash(p))
	switch {
	case err != nil:
		return absent
	case info.IsDir():
		return isDir
	}
	return isFile
}

// existingFolder is the nearest folder at or above p that exists, or ""
// when only the working directory itself is left.
func existingFolder(p string) string {
	for d := filepath.ToSlash(filepath.Clean(p)); d != "." && d != "/" && d != ""; d = filepath.ToSlash(filepath.Dir(d)) {
		if placeOf(d) == isDir {
			return d
		}
	}
	return ""
}
