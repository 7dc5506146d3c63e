package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/labcheck/labcheck/internal/dynamic"
	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/grade"
)

// Report is everything a renderer may show. Its JSON form is the stable
// contract of `--format json`.
type Report struct {
	Version  int                     `json:"version"`
	Tool     Tool                    `json:"tool"`
	Score    grade.Score             `json:"score"`
	Rubric   RubricRef               `json:"rubric"`
	Labs     []grade.LabScore        `json:"labs"`
	Findings []finding.Finding       `json:"findings"`
	Dynamic  *Dynamic                `json:"dynamic,omitempty"` // labcheck verify only
	Rules    map[string]*engine.Rule `json:"-"`                 // metadata of every rule, by id
}

// Dynamic is where and how the dynamic phase ran: the cluster, the node
// image and versions, and every step with its outcome and duration.
type Dynamic struct {
	Environment dynamic.Environment `json:"environment"`
	Steps       []dynamic.Step      `json:"steps"`
	Seconds     float64             `json:"seconds"`
}

// RubricRef names the rubric that graded the report: its name and the
// SHA-256 of its bytes, so that reports graded elsewhere can be gathered
// only when they were graded alike.
type RubricRef struct {
	Name   string `json:"name"`
	Digest string `json:"digest"`
}

// Tool names the program that wrote the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Options tune renderers that have a choice.
type Options struct {
	Color  bool             // ANSI colour (text)
	Quiet  bool             // findings at or above FailOn only, no score table (text)
	FailOn finding.Severity // "" means none
}

// Renderer writes a report in one format.
type Renderer interface {
	Render(w io.Writer, r *Report) error
}

// formats maps each format name to its renderer.
var formats = map[string]func(Options) Renderer{
	"text":      func(o Options) Renderer { return textRenderer{o} },
	"json":      func(Options) Renderer { return jsonRenderer{} },
	"sarif":     func(Options) Renderer { return sarifRenderer{} },
	"junit":     func(Options) Renderer { return junitRenderer{} },
	"github":    func(Options) Renderer { return githubRenderer{} },
	"markdown":  func(Options) Renderer { return markdownRenderer{} },
	"classroom": func(Options) Renderer { return classroomRenderer{} },
}

// New returns the renderer for a format.
func New(format string, o Options) (Renderer, error) {
	mk, ok := formats[format]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (formats: %s)", format, strings.Join(Formats(), ", "))
	}
	return mk(o), nil
}

// Formats lists the format names.
func Formats() []string {
	var names []string
	for n := range formats {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// sortedRules returns the catalog's rules ordered by id.
func sortedRules(r *Report) []*engine.Rule {
	out := make([]*engine.Rule, 0, len(r.Rules))
	for _, id := range slices.Sorted(maps.Keys(r.Rules)) {
		out = append(out, r.Rules[id])
	}
	return out
}

// notJudged says why a check earned nothing without being failed: a skip
// (a dynamic check without verify, or one the dynamic phase could not run)
// or an error (it could not be judged).
func notJudged(r *Report, lab finding.Lab, c grade.CheckResult) string {
	body, _ := findingsText(r.Findings, lab, c.Rule)
	body = strings.TrimSpace(body)
	switch {
	case c.Phase == finding.Dynamic && r.Dynamic == nil:
		return "a dynamic check: only labcheck verify runs it"
	case body != "":
		return body
	case c.Phase == finding.Dynamic && c.Status == grade.Error:
		return "the dynamic phase could not judge it (see its step in the report)"
	case c.Phase == finding.Dynamic:
		return "the dynamic phase did not run it"
	case c.Status == grade.Error:
		return "the lab's files could not be parsed, so this check could not run"
	}
	return "not checked in this run"
}

// stepSeconds is how long the dynamic step of a check took (0 when none
// ran).
func (r *Report) stepSeconds(lab finding.Lab, rule string) float64 {
	if r.Dynamic == nil {
		return 0
	}
	for _, s := range r.Dynamic.Steps {
		if s.Lab == lab && s.Rule == rule {
			return s.Seconds
		}
	}
	return 0
}
