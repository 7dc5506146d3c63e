package cli

import (
	"context"
	"fmt"

	"github.com/labcheck/labcheck/internal/scaffold"
)

func runInit(_ context.Context, e env, args []string) int {
	fs := newFlags("labcheck init", e)
	force := fs.Bool("force", false, "overwrite files that exist")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, "Usage: labcheck init [--force] [DIR]\n\nWrites .labcheck.yaml, .github/workflows/labcheck.yml and .pre-commit-config.yaml.\n\nFlags:\n", fs.FlagUsages())
	}
	if code, stop := parseFlags(e, fs, args); stop {
		return code
	}
	dir := "."
	if fs.NArg() > 0 {
		dir = fs.Arg(0)
	}
	outcomes, err := scaffold.Write(dir, *force)
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
