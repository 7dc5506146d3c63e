package settings

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/labcheck/labcheck/internal/config"
	"github.com/labcheck/labcheck/internal/dynamic"
	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/grade"
	"github.com/labcheck/labcheck/policies"
	"github.com/labcheck/labcheck/rules"
)

// Mode says which command resolves the settings.
type Mode int

const (
	// Check is labcheck and labcheck verify: a student's own run. The
	// config is --config, or .labcheck.yaml found upward from the first
	// PATH; student waivers count unless the run writes a Classroom result.
	Check Mode = iota
	// Grade is labcheck grade: the instructor's run. The config is the
	// instructor's (--config) only: a .labcheck.yaml inside a submission
	// never changes its grade, and student waivers do not count unless the
	// instructor's config allows them.
	Grade
)

// Flags are what a command line says; zero values mean "not given".
type Flags struct {
	Config     string   // --config
	Rubric     string   // --rubric: a built-in rubric's name or a file
	Labs       []string // --lab
	FailOn     string   // --fail-on
	Policies   []string // --policy
	Namespaces []string // --namespace
	NoCache    bool     // --no-cache
	Classroom  bool     // the run writes a GitHub Classroom result, which is a grade
	Changed    bool     // --changed: the PATHs are changed files (pre-commit)
	Version    string   // labcheck's version, which reports carry
}

// Settings are a run's resolved settings.
type Settings struct {
	Config *config.Config // never nil; Path is "" when there is none
	Engine *engine.Engine
	Rubric *grade.Rubric
	// Labs are the labs chosen by --lab or the config; empty means the labs
	// the PATHs hold (see Scope).
	Labs         []finding.Lab
	FailOn       finding.Severity // "" means never fail
	AllowWaivers bool             // student waivers (comments, annotations) keep their points
	Custom       *engine.Custom   // --policy and the config's policies, or nil
	NoCache      bool
	Changed      bool // the PATHs are changed files: judge the labs they belong to
	Mode         Mode
	Version      string // labcheck's version, which reports carry
}

// Resolve resolves flags, the config and the rubric into one Settings.
// paths are the run's PATHs (the config is looked up from the first one
// in Check mode).
func Resolve(ctx context.Context, mode Mode, f Flags, paths []string) (*Settings, error) {
	cfg, err := loadConfig(mode, f.Config, paths)
	if err != nil {
		return nil, err
	}
	s := &Settings{Config: cfg, NoCache: f.NoCache, Changed: f.Changed, Mode: mode, Version: f.Version}
	if s.Engine, err = Engine(); err != nil {
		return nil, err
	}
	rubricRef, rubricDir := f.Rubric, ""
	if rubricRef == "" && cfg.Rubric != "" {
		rubricRef, rubricDir = cfg.Rubric, filepath.Dir(cfg.Path)
	}
	if s.Rubric, err = LoadRubric(s.Engine, rubricRef, rubricDir); err != nil {
		return nil, err
	}
	labs := f.Labs // the command line wins over the config, never adds to it
	if len(labs) == 0 {
		labs = cfg.Labs
	}
	for _, l := range labs {
		lab, err := finding.ParseLab(l)
		if err != nil {
			return nil, fmt.Errorf("--lab: %w", err)
		}
		if !slices.Contains(s.Labs, lab) {
			s.Labs = append(s.Labs, lab)
		}
	}
	failOn := f.FailOn
	if failOn == "" {
		failOn = cfg.FailOn
	}
	switch failOn {
	case "", "error":
		s.FailOn = finding.Error
	case "none":
		s.FailOn = ""
	default:
		if s.FailOn, err = finding.ParseSeverity(failOn); err != nil {
			return nil, fmt.Errorf("--fail-on: %w", err)
		}
	}
	// A grade (labcheck grade, a Classroom result) is the instructor's: a
	// student cannot buy points with a comment unless the config allows it.
	s.AllowWaivers = mode == Check && !f.Classroom
	if w := cfg.Grading.AllowWaivers; w != nil {
		s.AllowWaivers = *w
	}
	policyDirs := slices.Clone(f.Policies)
	for _, p := range cfg.Policies {
		policyDirs = append(policyDirs, filepath.Join(filepath.Dir(cfg.Path), p))
	}
	if len(policyDirs) > 0 {
		if s.Custom, err = engine.LoadCustom(ctx, policyDirs, f.Namespaces); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// loadConfig reads the config: --config, else in Check mode the
// .labcheck.yaml found upward from the first PATH.
func loadConfig(mode Mode, path string, paths []string) (*config.Config, error) {
	if path == "" && mode == Check && len(paths) > 0 {
		found, err := config.Find(dirOf(paths[0]))
		if err != nil {
			return nil, err
		}
		path = found
	}
	if path == "" {
		return &config.Config{}, nil
	}
	return config.Load(path)
}

func dirOf(p string) string {
	if info, err := os.Stat(p); err == nil && !info.IsDir() {
		return filepath.Dir(p)
	}
	return p
}

// Engine returns the built-in rules: the embedded policies, compiled once
// per process as labs need them, and the dynamic phase's catalog.
var Engine = sync.OnceValues(func() (*engine.Engine, error) {
	eng, err := engine.Load(policies.FS)
	if err != nil {
		return nil, err
	}
	checks, err := dynamic.Catalog()
	if err != nil {
		return nil, err
	}
	for _, c := range checks {
		r := &engine.Rule{
			ID: c.ID, Name: c.Name, Lab: c.Lab, Severity: c.Severity, Phase: finding.Dynamic,
			Title: c.Title, Rationale: c.Rationale, Remediation: c.Remediation, Related: c.Related,
			Requires: c.Requires, ExplainedBy: c.Explained(), Source: dynamic.CatalogFile,
			Examples: engine.Examples{Fail: c.Examples.Fail, Pass: c.Examples.Pass, ForeseenBy: c.Examples.ForeseenBy},
		}
		if err := eng.Add(r); err != nil {
			return nil, err
		}
	}
	return eng, nil
})

// ruleSet gives grading the meaning of each rule id from the engine's
// catalog.
type ruleSet struct{ *engine.Engine }

func (r ruleSet) RuleInfo(id string) (grade.RuleInfo, bool) {
	rule, ok := r.Rule(id)
	if !ok {
		return grade.RuleInfo{}, false
	}
	return grade.RuleInfo{Name: rule.Name, Lab: rule.Lab, Phase: rule.Phase, ParseError: rule.ParseError, Requires: rule.Requires}, true
}

// LoadRubric reads the rubric ref names: a built-in rubric's name
// (module02, module02-static), a file, or the default when ref is "". A
// file named in a config (cfgDir != "") is relative to the config's folder.
func LoadRubric(eng *engine.Engine, ref, cfgDir string) (*grade.Rubric, error) {
	if ref == "" {
		ref = rules.Default
	}
	if data, ok := rules.Builtin(ref); ok {
		return grade.ParseRubric(ref+" (built in)", data, ruleSet{eng})
	}
	if cfgDir != "" {
		ref = filepath.Join(cfgDir, ref)
	}
	data, err := os.ReadFile(ref)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("rubric %s: no such file, and no built-in rubric of that name (%s)", ref, strings.Join(rules.Names(), ", "))
		}
		return nil, err
	}
	return grade.ParseRubric(ref, data, ruleSet{eng})
}
