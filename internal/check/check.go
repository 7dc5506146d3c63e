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

// labInput is what a lab's builder hands the engine.
type labInput struct {
	input     any
	submitted bool
	waivers   []Waiver
	findings  []finding.Finding // found by the builder itself: another lab's rules run on derived input (helm: Kubernetes rules on the rendered chart)
}

// builders assemble each lab's input from the submission.
var builders = map[finding.Lab]func(ctx context.Context, s *submission) (labInput, error){
	finding.Docker:     dockerInput,
	finding.Kubernetes: kubernetesInput,
	finding.Helm:       helmInput,
	finding.Istio:      istioInput,
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

func applyWaivers(fs []finding.Finding, ws []Waiver) []finding.Finding {
	for i := range fs {
		for _, w := range ws {
			if w.Rule == fs[i].Rule && w.File == fs[i].File && (w.Line == 0 || w.Line == fs[i].Line) {
				fs[i].Suppressed, fs[i].Reason = true, w.Reason
				if fs[i].Reason == "" {
					fs[i].Reason = "waived without a reason"
				}
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
