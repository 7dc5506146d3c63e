package grade

import (
	"fmt"

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
	// Reason says why a check that its own step passed was not awarded:
	// a precondition of it did not pass.
	Reason string `json:"reason,omitempty"`
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
		if info, _ := r.rules.RuleInfo(f.Rule); f.Severity == finding.Error && info.ParseError {
			broken[f.Lab] = true
		}
	}
	dyn := dynamicGrader{rules: r.rules, steps: opts.Dynamic, failing: failing, serious: serious, memo: map[LabRule]dynamicOutcome{}}
	g := Grades{Labs: []LabScore{}}
	for _, l := range r.Labs {
		if !opts.Checked[l.ID] {
			continue // --lab left it out: it is neither scored nor counted
		}
		ls := LabScore{ID: l.ID, Title: l.Title, Max: l.Max, Checks: []CheckResult{}}
		for _, c := range l.Checks {
			key := LabRule{l.ID, c.Rule}
			info, _ := r.rules.RuleInfo(c.Rule)
			cr := CheckResult{Rule: c.Rule, Name: info.Name, Phase: info.Phase, Status: Pass, Points: c.Points, Max: c.Points}
			switch {
			case cr.Phase == finding.Dynamic && !opts.Verified:
				cr.Status = Skip
			case !opts.Submitted[l.ID]:
				cr.Status = Fail
			case cr.Phase == finding.Dynamic:
				o := dyn.outcome(key)
				cr.Status, cr.Reason = o.status, o.reason
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

// dynamicGrader decides dynamic checks under verify.
type dynamicGrader struct {
	rules            RuleSet
	steps            map[LabRule]Status
	failing, serious map[LabRule]bool
	memo             map[LabRule]dynamicOutcome
}

type dynamicOutcome struct {
	status Status
	reason string
}

// outcome is a dynamic check's status: its step's, except that a step
// skipped because one of the submission's own steps failed before it (its
// "not run" finding is an error, not info) fails, a passed step with a
// finding standing against it fails, a check with no step did not run
// (skip: it earns nothing), and a passed check one of whose preconditions
// (RuleInfo.Requires) did not pass is not awarded: it takes that
// precondition's status (fail, skip or error), saying why.
// No check passes on a precondition that did not happen, whatever the
// dynamic phase reported.
func (d dynamicGrader) outcome(key LabRule) dynamicOutcome {
	if o, ok := d.memo[key]; ok {
		return o
	}
	d.memo[key] = dynamicOutcome{status: Fail, reason: "its preconditions form a cycle"} // guards a cyclic catalog
	st, ok := d.steps[key]
	o := dynamicOutcome{status: st}
	switch {
	case !ok:
		o.status = Skip
	case st == Pass && d.failing[key], st == Skip && d.serious[key]:
		o.status = Fail
	}
	if o.status == Pass {
		info, _ := d.rules.RuleInfo(key.Rule)
		for _, pre := range info.Requires {
			if p := d.outcome(LabRule{key.Lab, pre}); p.status != Pass {
				// It takes its precondition's status: a failure of the
				// submission fails it, an environment that could not run
				// the precondition (skip) or judge it (error) does too.
				o = dynamicOutcome{status: p.status, reason: fmt.Sprintf("not awarded: its precondition %s did not pass (%s)", pre, p.status)}
				break
			}
		}
	}
	d.memo[key] = o
	return o
}
