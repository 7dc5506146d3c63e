package cli

import (
	"context"
	"fmt"

	"github.com/labcheck/labcheck/internal/scaffold"
)

func runInit(_ context.Context, e env, args []string) int {
	fs := newFlags("labcheck init", e)
	force := fs.Bool("force", false, "overwrite files that exist")
	instructor := fs.Bool("instructor", false, "write the instructor's class list and the workflow that grades the class instead")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, "Usage: labcheck init [--force] [--instructor] [DIR]\n\nWrites .labcheck.yaml, .github/workflows/labcheck.yml and .pre-commit-config.yaml\ninto a student repository; with --instructor, students.txt and\n.github/workflows/labcheck-class.yml into the instructor's.\n\nFlags:\n", fs.FlagUsages())
	}
	if code, stop := parseFlags(e, fs, args); stop {
		return code
	}
	dir := "."
	if fs.NArg() > 0 {
		dir = fs.Arg(0)
	}
	files := scaffold.Files
	if *instructor {
		files = scaffold.ClassFiles
	}
	outcomes, err := scaffold.Write(dir, files, *force)
	for _, o := range outcomes {
		if o.Written {
			fmt.Fprintf(e.stdout, "wrote %s\n", o.Path)
		} else {
			fmt.Fprintf(e.stdout, "skipped %s: %s\n", o.Path, o.Note)
		}
	}
	if err != nil {
		return errorf(e, "init: %v", err)
	}
	return ExitOK
}
