package settings

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/labcheck/labcheck/internal/dynamic"
	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/grade"
	"github.com/labcheck/labcheck/internal/report"
)

// Report grades a run into the report every renderer shows: the static
// phase's outcome and, under verify, the dynamic phase's result (nil
// otherwise: the dynamic checks are then skipped). The config's ignore
// entries are applied here, once, for every command.
func (s *Settings) Report(c *Checked, dyn *dynamic.Result) (*report.Report, error) {
	fs := append([]finding.Finding(nil), c.Result.Findings...)
	rep := &report.Report{
		Version: 1,
		Tool:    report.Tool{Name: "labcheck", Version: s.Version},
		Rubric:  report.RubricRef{Name: s.Rubric.Name, Digest: s.Rubric.Digest},
		Rules:   map[string]*engine.Rule{},
	}
	opts := grade.Options{AllowWaivers: s.AllowWaivers, Checked: map[finding.Lab]bool{}, Submitted: c.Result.Submitted}
	for _, l := range c.Scope.Labs {
		opts.Checked[l] = true
	}
	if dyn != nil {
		dfs, err := s.dynamicFindings(dyn)
		if err != nil {
			return nil, err
		}
		s.explain(dfs, c.Result.Findings)
		fs = finding.Sort(append(fs, dfs...))
		opts.Verified, opts.Dynamic = true, map[grade.LabRule]grade.Status{}
		for _, st := range dyn.Steps {
			if st.Rule != "" {
				opts.Dynamic[grade.LabRule{Lab: st.Lab, Rule: st.Rule}] = grade.Status(st.Status)
			}
		}
		rep.Dynamic = &report.Dynamic{Environment: dyn.Environment, Steps: dyn.Steps, Seconds: dyn.Seconds}
	}
	ignored := s.applyIgnores(fs, c.Roots)
	graded := fs
	if s.Mode == Grade && len(ignored) > 0 {
		// The instructor's own ignore entries always count; student
		// waivers count only as AllowWaivers says.
		graded = nil
		for i, f := range fs {
			if !ignored[i] {
				graded = append(graded, f)
			}
		}
	}
	g := s.Rubric.Grade(graded, opts)
	rep.Score, rep.Labs = g.Score, g.Labs
	for _, rule := range s.Engine.Rules() {
		rep.Rules[rule.ID] = rule
	}
	rep.Findings = fs
	if rep.Findings == nil {
		rep.Findings = []finding.Finding{}
	}
	return rep, nil
}

// dynamicFindings names the dynamic phase's findings with their rules'
// metadata from the catalog.
func (s *Settings) dynamicFindings(dyn *dynamic.Result) ([]finding.Finding, error) {
	out := make([]finding.Finding, 0, len(dyn.Findings))
	for _, df := range dyn.Findings {
		rule, ok := s.Engine.Rule(df.Rule)
		if !ok || rule.Phase != finding.Dynamic {
			return nil, fmt.Errorf("%s reported %s, which %s does not define (labcheck and %s versions differ?)", dynamic.Executable, df.Rule, dynamic.CatalogFile, dynamic.Executable)
		}
		f, err := rule.Finding(df.Message, df.File, df.Line, df.Severity)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", df.Rule, err)
		}
		out = append(out, f)
	}
	return out, nil
}

// maxCauses bounds the static findings one dynamic finding quotes.
const maxCauses = 3

// explain adds to each failing dynamic finding the static findings of the
// same run that explain it (its rule's ExplainedBy, in its lab): the
// cause in the student's terms, at the line to fix, beside the symptom
// the cluster showed. Waived static findings are quoted too: the failure
// is what the waiver cost.
func (s *Settings) explain(dfs, static []finding.Finding) {
	for i := range dfs {
		d := &dfs[i]
		rule, ok := s.Engine.Rule(d.Rule)
		if !ok || d.Severity == finding.Info || len(rule.ExplainedBy) == 0 {
			continue
		}
		var causes []finding.Finding
		for _, f := range static {
			if f.Lab == d.Lab && slices.Contains(rule.ExplainedBy, f.Rule) {
				causes = append(causes, f)
			}
		}
		var why []string
		for j, f := range causes {
			if j == maxCauses {
				why = append(why, fmt.Sprintf("  why: and %d more static finding(s) of %s", len(causes)-maxCauses, strings.Join(rule.ExplainedBy, ", ")))
				break
			}
			at := f.File
			if f.Line > 0 {
				at = fmt.Sprintf("%s:%d", f.File, f.Line)
			}
			why = append(why, fmt.Sprintf("  why: the static phase found %s at %s: %s", f.Rule, at, firstLine(f.Message)))
		}
		d.Message = withWhy(d.Message, why)
	}
}

// withWhy puts why lines into a message after its first line and the why
// lines it has (a diagnosis goes on with pods, events and logs).
func withWhy(msg string, why []string) string {
	if len(why) == 0 {
		return msg
	}
	lines := strings.Split(msg, "\n")
	at := 1
	for at < len(lines) && strings.HasPrefix(lines[at], "  why: ") {
		at++
	}
	return strings.Join(slices.Concat(lines[:at], why, lines[at:]), "\n")
}

// firstLine is a message's first line.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// applyIgnores waives the findings the config's ignore entries name and
// returns their indexes. An entry's file is relative to the config's
// folder, or to the checked folder (so that an instructor's config names a
// file of every submission the same way). Under labcheck grade the config
// is the instructor's, and what it ignores never costs points; elsewhere
// the config is the repository's own, and its ignore entries are waivers
// like the comments are.
func (s *Settings) applyIgnores(fs []finding.Finding, roots []string) map[int]bool {
	ignored := map[int]bool{}
	cfgDir := filepath.Dir(s.Config.Path)
	for _, ig := range s.Config.Ignore {
		var want []string
		if ig.File != "" {
			want = append(want, absPath(filepath.Join(cfgDir, ig.File)))
			for _, r := range roots {
				want = append(want, absPath(filepath.Join(dirOf(r), ig.File)))
			}
		}
		for i := range fs {
			if fs[i].Rule != ig.Rule || fs[i].Suppressed {
				continue
			}
			if want != nil && !slices.Contains(want, absPath(fs[i].File)) {
				continue
			}
			fs[i].Suppressed, fs[i].Reason = true, ig.Reason
			if ig.Reason == "" {
				fs[i].Reason = "ignored in " + filepath.ToSlash(s.Config.Path)
			}
			ignored[i] = true
		}
	}
	return ignored
}
