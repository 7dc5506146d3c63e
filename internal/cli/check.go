package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/labcheck/labcheck/internal/report"
	"github.com/labcheck/labcheck/internal/settings"
)

// checkFlags are the flags of the static check.
type checkFlags struct {
	format     string
	outputs    []string
	config     string
	rubric     string
	labs       []string
	failOn     string
	noColor    bool
	quiet      bool
	noCache    bool
	changed    bool
	policies   []string
	namespaces []string
}

func (f *checkFlags) register(fs interface {
	StringVarP(*string, string, string, string, string)
	StringVar(*string, string, string, string)
	StringArrayVar(*[]string, string, []string, string)
	StringSliceVar(*[]string, string, []string, string)
	BoolVar(*bool, string, bool, string)
}) {
	fs.StringVarP(&f.format, "format", "f", "text", "output format: "+strings.Join(report.Formats(), ", "))
	fs.StringArrayVar(&f.outputs, "output", nil, "also write FORMAT=FILE (repeatable)")
	fs.StringVar(&f.config, "config", "", "config file (default: .labcheck.yaml found upward)")
	fs.StringVar(&f.rubric, "rubric", "", "grading rubric: a file, or a built-in one: module02 (default; static and dynamic checks), module02-static")
	fs.StringSliceVar(&f.labs, "lab", nil, "check only these labs: docker, kubernetes, helm, istio")
	fs.StringArrayVar(&f.policies, "policy", nil, "also run the Rego policies in DIR, written for labcheck or conftest (repeatable)")
	fs.StringArrayVar(&f.namespaces, "namespace", nil, "packages of --policy rules to run (default main, as conftest)")
	fs.StringVar(&f.failOn, "fail-on", "", "exit 1 on findings at or above: error, warning, info, none (default error)")
	fs.BoolVar(&f.noColor, "no-color", false, "no colour (also NO_COLOR)")
	fs.BoolVar(&f.quiet, "quiet", false, "only findings at or above --fail-on, no score table")
	fs.BoolVar(&f.noCache, "no-cache", false, "do not use or write the result cache")
	fs.BoolVar(&f.changed, "changed", false, "the PATHs are changed files (pre-commit): check the repository here, judge only the labs they belong to")
}

// settings are the flags as the one settings resolver takes them.
func (f checkFlags) settings() settings.Flags {
	return settings.Flags{
		Config: f.config, Rubric: f.rubric, Labs: f.labs, FailOn: f.failOn,
		Policies: f.policies, Namespaces: f.namespaces, NoCache: f.noCache,
		Classroom: f.classroom(), Changed: f.changed, Version: Version,
	}
}

func runCheck(ctx context.Context, e env, args []string) int {
	var f checkFlags
	fs := newFlags("labcheck", e)
	f.register(fs)
	fs.Usage = func() {
		fmt.Fprint(e.stderr, usage(), "\nFlags:\n", fs.FlagUsages())
	}
	if code, stop := parseFlags(e, fs, args); stop {
		return code
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	run, err := newRun(ctx, f, paths)
	if err != nil {
		return errorf(e, "%v", err)
	}
	checked, err := run.settings.Check(ctx, paths)
	if err != nil {
		return errorf(e, "%v", err)
	}
	rep, err := run.settings.Report(checked, nil)
	if err != nil {
		return errorf(e, "%v", err)
	}
	if err := run.write(e, rep); err != nil {
		return errorf(e, "%v", err)
	}
	return run.exitCode(rep)
}

// run is one check or verify: its settings and how to present the report.
type run struct {
	flags    checkFlags
	settings *settings.Settings
}

func newRun(ctx context.Context, f checkFlags, paths []string) (*run, error) {
	for _, o := range f.outputs {
		if _, _, ok := strings.Cut(o, "="); !ok {
			return nil, fmt.Errorf("--output %q: want FORMAT=FILE", o)
		}
	}
	s, err := settings.Resolve(ctx, settings.Check, f.settings(), paths)
	if err != nil {
		return nil, err
	}
	return &run{flags: f, settings: s}, nil
}

// classroom reports whether the run writes a GitHub Classroom result.
func (f checkFlags) classroom() bool {
	if f.format == "classroom" {
		return true
	}
	for _, o := range f.outputs {
		if format, _, _ := strings.Cut(o, "="); format == "classroom" {
			return true
		}
	}
	return false
}

func (r *run) write(e env, rep *report.Report) error {
	opts := report.Options{FailOn: r.settings.FailOn, Quiet: r.flags.quiet}
	for _, o := range r.flags.outputs {
		format, file, _ := strings.Cut(o, "=")
		if err := writeFile(format, file, opts, rep); err != nil {
			return err
		}
	}
	opts.Color = colorWanted(e, e.stdout, r.flags.noColor)
	rd, err := report.New(r.flags.format, opts)
	if err != nil {
		return err
	}
	return rd.Render(e.stdout, rep)
}

func writeFile(format, file string, opts report.Options, rep *report.Report) error {
	rd, err := report.New(format, opts)
	if err != nil {
		return fmt.Errorf("--output %s=%s: %w", format, file, err)
	}
	f, err := os.Create(file)
	if err != nil {
		return fmt.Errorf("--output: %w", err)
	}
	if err := rd.Render(f, rep); err != nil {
		f.Close()
		return fmt.Errorf("--output %s: %w", file, err)
	}
	return f.Close()
}

func (r *run) exitCode(rep *report.Report) int {
	failOn := r.settings.FailOn
	if failOn == "" {
		return ExitOK
	}
	for _, f := range rep.Findings {
		if !f.Suppressed && f.Severity.Rank() >= failOn.Rank() {
			return ExitFindings
		}
	}
	return ExitOK
}
