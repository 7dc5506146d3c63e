package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

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
	Labs     []grade.LabScore        `json:"labs"`
	Findings []finding.Finding       `json:"findings"`
	Rules    map[string]*engine.Rule `json:"-"` // metadata of every rule, by id
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
