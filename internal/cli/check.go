package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/labcheck/labcheck/internal/check"
	"github.com/labcheck/labcheck/internal/config"
	"github.com/labcheck/labcheck/internal/dynamic"
	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/grade"
	"github.com/labcheck/labcheck/internal/report"
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
	rep, err := run.check(ctx)
	if err != nil {
		return errorf(e, "%v", err)
	}
	if err := run.write(e, rep); err != nil {
		return errorf(e, "%v", err)
	}
	return run.exitCode(rep)
}

// run is one static check, its settings resolved from flags and config.
type run struct {
	flags        checkFlags
	paths        []string
	cfg          *config.Config
	eng          *engine.Engine
	rubric       *grade.Rubric
	labs         []finding.Lab
	failOn       finding.Severity // "" means none
	allowWaivers bool
	custom       *engine.Custom
}

func newRun(ctx context.Context, f checkFlags, paths []string) (*run, error) {
	r := &run{flags: f, paths: paths, cfg: &config.Config{}, allowWaivers: true}
	cfgPath := f.config
	if cfgPath == "" {
		found, err := config.Find(dirOf(paths[0]))
		if err != nil {
			return nil, err
		}
		cfgPath = found
	}
	if cfgPath != "" {
		c, err := config.Load(cfgPath)
		if err != nil {
			return nil, err
		}
		r.cfg = c
	}
	var err error
	if r.eng, err = builtin(); err != nil {
		return nil, err
	}
	rubricRef, rubricDir := f.rubric, ""
	if rubricRef == "" && r.cfg.Rubric != "" {
		rubricRef, rubricDir = r.cfg.Rubric, filepath.Dir(r.cfg.Path)
	}
	if r.rubric, err = loadRubric(r.eng, rubricRef, rubricDir); err != nil {
		return nil, err
	}
	labs := f.labs
	if len(labs) == 0 {
		labs = r.cfg.Labs
	}
	for _, l := range labs {
		lab, err := finding.ParseLab(l)
		if err != nil {
			return nil, fmt.Errorf("--lab: %w", err)
		}
		r.labs = append(r.labs, lab)
	}
	failOn := f.failOn
	if failOn == "" {
		failOn = r.cfg.FailOn
	}
	switch failOn {
	case "", "error":
		r.failOn = finding.Error
	case "none":
		r.failOn = ""
	default:
		if r.failOn, err = finding.ParseSeverity(failOn); err != nil {
			return nil, fmt.Errorf("--fail-on: %w", err)
		}
	}
	policyDirs := f.policies
	for _, p := range r.cfg.Policies {
		policyDirs = append(policyDirs, filepath.Join(filepath.Dir(r.cfg.Path), p))
	}
	if len(policyDirs) > 0 {
		if r.custom, err = engine.LoadCustom(ctx, policyDirs, f.namespaces); err != nil {
			return nil, err
		}
	}
	// A result for GitHub Classroom is a grade: a student cannot buy
	// points with a comment unless the instructor's config allows it.
	if f.classroom() {
		r.allowWaivers = false
	}
	if w := r.cfg.Grading.AllowWaivers; w != nil {
		r.allowWaivers = *w
	}
	for _, o := range f.outputs {
		if _, _, ok := strings.Cut(o, "="); !ok {
			return nil, fmt.Errorf("--output %q: want FORMAT=FILE", o)
		}
	}
	return r, nil
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

func dirOf(p string) string {
	if info, err := os.Stat(p); err == nil && !info.IsDir() {
		return filepath.Dir(p)
	}
	return p
}

func (r *run) check(ctx context.Context) (*report.Report, error) {
	res, err := check.Run(ctx, r.eng, r.paths, check.Options{Labs: r.labs, Custom: r.custom})
	if err != nil {
		return nil, err
	}
	return r.report(res.Findings, res.Submitted, nil), nil
}

// report grades findings (in report order) with the rubric and builds the
// report. dyn is the dynamic phase's result under verify, nil otherwise
// (the dynamic checks are then skipped).
func (r *run) report(fs []finding.Finding, submitted map[finding.Lab]bool, dyn *dynamic.Result) *report.Report {
	r.applyConfigIgnores(fs)
	checked := map[finding.Lab]bool{}
	for _, l := range finding.Labs {
		checked[l] = len(r.labs) == 0
	}
	for _, l := range r.labs {
		checked[l] = true
	}
	opts := grade.Options{
		AllowWaivers: r.allowWaivers,
		Checked:      checked,
		Submitted:    submitted,
		Names:        r.ruleName,
	}
	rep := &report.Report{Version: 1, Tool: report.Tool{Name: "labcheck", Version: Version}}
	if dyn != nil {
		opts.Verified, opts.Dynamic = true, map[grade.LabRule]grade.Status{}
		for _, s := range dyn.Steps {
			if s.Rule != "" {
				opts.Dynamic[grade.LabRule{Lab: s.Lab, Rule: s.Rule}] = grade.Status(s.Status)
			}
		}
		rep.Dynamic = &report.Dynamic{Environment: dyn.Environment, Steps: dyn.Steps, Seconds: dyn.Seconds}
	}
	g := r.rubric.Grade(fs, opts)
	rep.Score, rep.Labs = g.Score, g.Labs
	rep.Rules = map[string]*engine.Rule{}
	for _, rule := range r.eng.Rules() {
		rep.Rules[rule.ID] = rule
	}
	rep.Findings = fs
	if rep.Findings == nil {
		rep.Findings = []finding.Finding{}
	}
	return rep
}

func (r *run) ruleName(id string) string {
	if rule, ok := r.eng.Rule(id); ok {
		return rule.Name
	}
	return ""
}

// applyConfigIgnores waives findings named in the config's ignore list. A
// file in the config is relative to the config's folder.
func (r *run) applyConfigIgnores(fs []finding.Finding) {
	for _, ig := range r.cfg.Ignore {
		want := ""
		if ig.File != "" {
			want, _ = filepath.Abs(filepath.Join(filepath.Dir(r.cfg.Path), ig.File))
		}
		for i := range fs {
			if fs[i].Rule != ig.Rule || fs[i].Suppressed {
				continue
			}
			if got, _ := filepath.Abs(fs[i].File); want != "" && got != want {
				continue
			}
			fs[i].Suppressed, fs[i].Reason = true, ig.Reason
			if ig.Reason == "" {
				fs[i].Reason = "ignored in " + filepath.ToSlash(r.cfg.Path)
			}
		}
	}
}

func (r *run) write(e env, rep *report.Report) error {
	opts := report.Options{FailOn: r.failOn, Quiet: r.flags.quiet}
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
	if r.failOn == "" {
		return ExitOK
	}
	for _, f := range rep.Findings {
		if !f.Suppressed && f.Severity.Rank() >= r.failOn.Rank() {
			return ExitFindings
		}
	}
	return ExitOK
}

func readFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return data, nil
}

var _ io.Writer = (*os.File)(nil)
