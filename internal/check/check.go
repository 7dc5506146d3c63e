package check

import (
	"context"
	"slices"
	"sync"

	"github.com/labcheck/labcheck/internal/cache"
	"github.com/labcheck/labcheck/internal/discover"
	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/finding"
)

// Options select what a check covers.
type Options struct {
	Labs   []finding.Lab   // labs to check; empty means all
	Limits discover.Limits // zero means discover.DefaultLimits
	Custom *engine.Custom  // user policies (--policy), or nil

	Cache     *cache.Cache // per-lab results (see checkLab), or nil
	CacheSalt string       // what else results depend on, from the caller: labcheck's build, config, rubric
}

// Result is the outcome of the static phase.
type Result struct {
	Findings  []finding.Finding    // sorted, suppressed ones included
	Submitted map[finding.Lab]bool // labs for which the submission has files
}

// Problem is a file-level problem found while building a lab's input.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// Waiver suppresses a rule's findings at a file and line (0: the whole file).
type Waiver struct {
	Rule, File, Reason string
	Line               int
}

// covers reports whether the waiver applies to a finding where it is.
func (w Waiver) covers(f finding.Finding) bool {
	return w.Rule == f.Rule && w.File == f.File && (w.Line == 0 || w.Line == f.Line)
}

// labInput is what a lab's builder hands the engine.
type labInput struct {
	input     any
	submitted bool
	waivers   []Waiver
	findings  []finding.Finding // found by a derived stage: another lab's rules run on derived input (helm: Kubernetes rules on the rendered chart)
	summaries []summary         // findings of the lab's rules that sum up derived findings (HELM-012)
}

// summary is a finding that sums up others (HELM-012 sums up the
// Kubernetes findings on a rendered chart): it is waived when every one of
// them is, so that it counts exactly when they do.
type summary struct {
	Rule, File string
	Line       int
	Of         []finding.Finding // the findings it sums up, at their final place
}

// The static phase is a pipeline, each lab on its own goroutine:
//
//  1. builders assemble a lab's input from the submission (files parsed,
//     charts rendered);
//  2. derived stages run other rules on what building produced and feed
//     their findings into the input (helm: the Kubernetes rules judge
//     each rendered chart, and HELM-012 sums them up);
//  3. the engine evaluates the lab's rules on the input;
//  4. the student's waivers are applied to all of the lab's findings at
//     once (applyWaivers, called only from checkLab): the one place where
//     a finding becomes suppressed.
//
// checkLab runs the four stages, or answers from the result cache.
var builders = map[finding.Lab]func(ctx context.Context, s *submission) (labInput, error){
	finding.Docker:     dockerInput,
	finding.Kubernetes: kubernetesInput,
	finding.Helm:       helmInput,
	finding.Istio:      istioInput,
}

// derived are the stages that run after a lab's input is built and before
// its rules are evaluated.
var derived = map[finding.Lab]func(ctx context.Context, s *submission, in *labInput) error{
	finding.Helm: kubernetesOnCharts,
}

// Run discovers and checks the given paths.
func Run(ctx context.Context, eng *engine.Engine, paths []string, opts Options) (*Result, error) {
	lim := opts.Limits
	if lim == (discover.Limits{}) {
		lim = discover.DefaultLimits
	}
	trees := make([]*discover.Tree, 0, len(paths))
	for _, p := range paths {
		t, err := discover.Walk(p, lim)
		if err != nil {
			return nil, err
		}
		trees = append(trees, t)
	}
	return Trees(ctx, eng, trees, opts)
}

// Trees checks already discovered trees, one lab per goroutine.
func Trees(ctx context.Context, eng *engine.Engine, trees []*discover.Tree, opts Options) (*Result, error) {
	labs := opts.Labs
	if len(labs) == 0 {
		labs = finding.Labs
	}
	results := make([]outcome, len(labs))
	sub := &submission{trees: trees, eng: eng}
	var wg sync.WaitGroup
	for i, lab := range labs {
		if _, ok := builders[lab]; !ok {
			continue
		}
		wg.Go(func() { results[i] = checkLab(ctx, sub, lab, opts) })
	}
	wg.Wait()
	res := &Result{Submitted: map[finding.Lab]bool{}}
	for i, o := range results {
		if o.err != nil {
			return nil, o.err
		}
		res.Findings = append(res.Findings, o.Findings...)
		res.Submitted[labs[i]] = o.Submitted
	}
	res.Findings = finding.Sort(res.Findings)
	return res, nil
}

// applyWaivers marks the findings the student waived (inline comments,
// annotations), then the summaries all of whose findings are waived. It is
// the one place where findings become suppressed; whether a suppressed
// finding still counts is the grader's setting.
func applyWaivers(fs []finding.Finding, ws []Waiver, sums []summary) []finding.Finding {
	type place struct {
		rule, file string
		line       int
	}
	waived := map[place]bool{}
	for i := range fs {
		for _, w := range ws {
			if w.covers(fs[i]) {
				fs[i].Suppressed, fs[i].Reason = true, w.Reason
				if fs[i].Reason == "" {
					fs[i].Reason = "waived without a reason"
				}
			}
		}
		if fs[i].Suppressed {
			waived[place{fs[i].Rule, fs[i].File, fs[i].Line}] = true
		}
	}
	for _, s := range sums {
		if len(s.Of) == 0 || slices.ContainsFunc(s.Of, func(f finding.Finding) bool { return !waived[place{f.Rule, f.File, f.Line}] }) {
			continue
		}
		for i := range fs {
			if fs[i].Rule == s.Rule && fs[i].File == s.File && fs[i].Line == s.Line && !fs[i].Suppressed {
				fs[i].Suppressed, fs[i].Reason = true, "every finding it sums up is waived"
			}
		}
	}
	return fs
}

// problemsOf turns discovery's refusals for one lab into input problems.
func problemsOf(trees []*discover.Tree, lab finding.Lab) []Problem {
	out := []Problem{}
	for _, t := range trees {
		for _, p := range t.Problems {
			if p.Lab == lab {
				out = append(out, Problem{File: p.Path, Message: p.Message})
			}
		}
	}
	return out
}

// filesOf returns the discovered files of a kind, sorted by path.
func filesOf(trees []*discover.Tree, kind discover.Kind) []discover.File {
	var out []discover.File
	for _, t := range trees {
		for _, f := range t.Files {
			if f.Kind == kind {
				out = append(out, f)
			}
		}
	}
	return discover.Sorted(slices.Clip(out))
}
