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
	Skip  Status = "skip"  // not run: a dynamic check without verify, or one the dynamic phase could not run
	Error Status = "error" // could not be judged: the lab's files did not parse
)

// Score is points out of a maximum. Reachable is the most this run could
// award: the maximum less the points of skipped checks (the dynamic ones,
// when labcheck verify did not run).
type Score struct {
	Points    float64 `json:"points"`
	Max       float64 `json:"max"`
	Reachable float64 `json:"reachable"`
}

// LabScore is one lab's result, as the JSON report carries it.
type LabScore struct {
	ID        finding.Lab   `json:"id"`
	Title     string        `json:"title"`
	Points    float64       `json:"points"`
	Max       float64       `json:"max"`
	Reachable float64       `json:"reachable"`
	Checks    []CheckResult `json:"checks"`
}

// CheckResult is one check's outcome.
type CheckResult struct {
	Rule   string        `json:"rule"`
	Name   string        `json:"name"`
	Phase  finding.Phase `json:"phase"`
	Status Status        `json:"status"`
	Points float64       `json:"points"`
	Max    float64       `json:"max"`
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

	// Verified says the dynamic phase ran (labcheck verify). Without it
	// every dynamic check is skipped: it earns nothing and lowers the
	// reachable maximum.
	Verified bool
	// Dynamic holds, under verify, the outcome of each dynamic check the
	// phase reported a step for. A dynamic check with no step was not run
	// and is skipped: it never earns points by default.
	Dynamic map[LabRule]Status
}

// LabRule is a check: a rule as it counts for a lab (a Kubernetes rule
// counts for the helm lab on the rendered chart).
type LabRule struct {
	Lab  finding.Lab
	Rule string
}

// Grade scores findings with the rubric.
func (r *Rubric) Grade(fs []finding.Finding, opts Options) Grades {
	failing := map[LabRule]bool{}
	serious := map[LabRule]bool{} // failing at warning or error
	broken := map[finding.Lab]bool{}
	for _, f := range fs {
		if f.Suppressed && opts.AllowWaivers {
			continue
		}
		failing[LabRule{f.Lab, f.Rule}] = true
		if f.Severity != finding.Info {
			serious[LabRule{f.Lab, f.Rule}] = true
		}
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
			key := LabRule{l.ID, c.Rule}
			cr := CheckResult{Rule: c.Rule, Phase: finding.PhaseOf(c.Rule), Status: Pass, Points: c.Points, Max: c.Points}
			if opts.Names != nil {
				cr.Name = opts.Names(c.Rule)
			}
			switch {
			case cr.Phase == finding.Dynamic && !opts.Verified:
				cr.Status = Skip
			case !opts.Submitted[l.ID]:
				cr.Status = Fail
			case cr.Phase == finding.Dynamic:
				cr.Status = dynamicStatus(opts.Dynamic, key, failing[key], serious[key])
			case failing[key]:
				cr.Status = Fail
			case broken[l.ID]:
				cr.Status = Error
			}
			if cr.Status != Pass {
				cr.Points = 0
			}
			if cr.Status != Skip {
				ls.Reachable += cr.Max
			}
			ls.Points += cr.Points
			ls.Checks = append(ls.Checks, cr)
		}
		g.Score.Points += ls.Points
		g.Score.Max += ls.Max
		g.Score.Reachable += ls.Reachable
		g.Labs = append(g.Labs, ls)
	}
	return g
}

// dynamicStatus is a dynamic check's status under verify: its step's,
// except that a step skipped because one of the submission's own steps
// failed before it (its "not run" finding is an error, not info) fails,
// a passed step with a finding standing against it fails, and a check
// with no step did not run: skip, it earns nothing.
func dynamicStatus(steps map[LabRule]Status, key LabRule, failing, serious bool) Status {
	st, ok := steps[key]
	switch {
	case !ok:
		return Skip
	case st == Pass && failing, st == Skip && serious:
		return Fail
	}
	return st
}

// isParseRule reports whether a rule is a lab's parse-error rule (…-000).
func isParseRule(id string) bool {
	return len(id) > 4 && id[len(id)-4:] == "-000"
}
