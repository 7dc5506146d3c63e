package grade

import (
	"github.com/labcheck/labcheck/internal/finding"
)

// Status is a check's outcome.
type Status string

// Check outcomes.
const (
	Pass  Status = "pass"
	Fail  Status = "fail"
	Skip  Status = "skip"  // not run: a dynamic check without verify
	Error Status = "error" // could not be judged: the lab's files did not parse
)

// Score is points out of a maximum.
type Score struct {
	Points float64 `json:"points"`
	Max    float64 `json:"max"`
}

// LabScore is one lab's result, as the JSON report carries it.
type LabScore struct {
	ID     finding.Lab   `json:"id"`
	Title  string        `json:"title"`
	Points float64       `json:"points"`
	Max    float64       `json:"max"`
	Checks []CheckResult `json:"checks"`
}

// CheckResult is one check's outcome.
type CheckResult struct {
	Rule   string  `json:"rule"`
	Name   string  `json:"name"`
	Status Status  `json:"status"`
	Points float64 `json:"points"`
	Max    float64 `json:"max"`
}

// Grades is the scored result of a run.
type Grades struct {
	Score Score      `json:"score"`
	Labs  []LabScore `json:"labs"`
}

// Options decide how findings count.
type Options struct {
	AllowWaivers bool                 // suppressed findings do not cost points
	Checked      map[finding.Lab]bool // labs that were checked; others are left out
	Submitted    map[finding.Lab]bool // labs the submission has files for
	Names        func(rule string) string
}

// Grade scores findings with the rubric.
func (r *Rubric) Grade(fs []finding.Finding, opts Options) Grades {
	type labRule struct {
		lab  finding.Lab
		rule string
	}
	failing := map[labRule]bool{}
	broken := map[finding.Lab]bool{}
	for _, f := range fs {
		if f.Suppressed && opts.AllowWaivers {
			continue
		}
		failing[labRule{f.Lab, f.Rule}] = true
		if f.Severity == finding.Error && isParseRule(f.Rule) {
			broken[f.Lab] = true
		}
	}
	g := Grades{Labs: []LabScore{}}
	for _, l := range r.Labs {
		if !opts.Checked[l.ID] {
			continue // --lab left it out: it is neither scored nor counted
		}
		ls := LabScore{ID: l.ID, Title: l.Title, Max: l.Max, Checks: []CheckResult{}}
		for _, c := range l.Checks {
			cr := CheckResult{Rule: c.Rule, Status: Pass, Points: c.Points, Max: c.Points}
			if opts.Names != nil {
				cr.Name = opts.Names(c.Rule)
			}
			switch {
			case failing[labRule{l.ID, c.Rule}] || !opts.Submitted[l.ID]:
				cr.Status = Fail
			case broken[l.ID]:
				cr.Status = Error
			}
			if cr.Status != Pass {
				cr.Points = 0
			}
			ls.Points += cr.Points
			ls.Checks = append(ls.Checks, cr)
		}
		g.Score.Points += ls.Points
		g.Score.Max += ls.Max
		g.Labs = append(g.Labs, ls)
	}
	return g
}

// isParseRule reports whether a rule is a lab's parse-error rule (…-000).
func isParseRule(id string) bool {
	return len(id) > 4 && id[len(id)-4:] == "-000"
}
