package settings

import (
	"context"
	"os"
	"path/filepath"
	"slices"

	"github.com/labcheck/labcheck/internal/check"
	"github.com/labcheck/labcheck/internal/config"
	"github.com/labcheck/labcheck/internal/discover"
	"github.com/labcheck/labcheck/internal/finding"
)

// Scope is what a run judges.
type Scope struct {
	// Labs are the labs judged, in report order. A lab judged that the
	// submission lacks scores 0; a lab not judged is left out of the
	// report.
	Labs []finding.Lab
	// Whole says the PATHs were judged as whole submissions (a repository
	// or its labs folder), not as some of their files.
	Whole bool
}

// Checked is the static phase's outcome for a run.
type Checked struct {
	Roots  []string // the folders or files checked, as given
	Scope  Scope
	Result *check.Result
}

// Check runs the static phase on paths and says which labs it judged:
// those --lab or the config name; else, for a whole submission (a
// repository, its labs folder, any folder under labcheck grade), every
// lab; else the labs the PATHs hold (a single file, one lab's folder, one
// chart), as --lab would name them; with --changed, the labs the changed
// files belong to, judged in the repository around them (the current
// folder), since a StatefulSet needs its Service.
func (s *Settings) Check(ctx context.Context, paths []string) (*Checked, error) {
	roots := contextRoots(paths, s.Changed)
	trees := make(map[string]*discover.Tree, len(roots)) // by absolute root
	walked := make([]*discover.Tree, 0, len(roots))
	for _, p := range roots {
		t, err := discover.Walk(p, discover.DefaultLimits)
		if err != nil {
			return nil, err
		}
		trees[absPath(p)] = t
		walked = append(walked, t)
	}
	c := &Checked{Roots: roots, Scope: s.scope(paths, trees), Result: &check.Result{Submitted: map[finding.Lab]bool{}}}
	if len(c.Scope.Labs) == 0 {
		return c, nil // nothing to judge: changed files of no lab
	}
	var err error
	c.Result, err = check.Trees(ctx, s.Engine, walked, check.Options{Labs: c.Scope.Labs, Custom: s.Custom, Cache: s.resultCache(), CacheSalt: s.cacheSalt()})
	return c, err
}

// scope decides the labs judged. trees are the walked roots by absolute
// path: a PATH that is its own root (a file, a chart) holds the labs of
// what was found in it.
func (s *Settings) scope(paths []string, trees map[string]*discover.Tree) Scope {
	if len(s.Labs) > 0 {
		return Scope{Labs: ordered(s.Labs), Whole: false}
	}
	if s.Changed {
		return Scope{Labs: changedLabs(paths, trees[absPath(".")])}
	}
	held := map[finding.Lab]bool{}
	for _, p := range paths {
		lab, whole := pathKind(p)
		if whole || s.Mode == Grade {
			return Scope{Labs: finding.Labs, Whole: true}
		}
		if lab != "" {
			held[lab] = true
		}
		if t, ok := trees[absPath(p)]; ok && (lab == "" || lab == finding.Helm) {
			for _, l := range labsOf(t) {
				held[l] = true
			}
		}
	}
	var labs []finding.Lab
	for _, l := range finding.Labs {
		if held[l] {
			labs = append(labs, l)
		}
	}
	return Scope{Labs: labs}
}

// contextRoots are the folders checked for paths: with --changed, the
// repository here; a lab's folder inside a submission (labs/istio) is
// checked with the submission's other labs as context (an Istio route
// leads to Lab 2's Services), though only its own lab is judged; any
// other PATH is checked as it is.
func contextRoots(paths []string, changed bool) []string {
	if changed {
		return []string{"."}
	}
	var roots []string
	for _, p := range paths {
		root := p
		if lab, whole := pathKind(p); lab != "" && !whole && isLabFolder(p, lab) && holdsLabs(filepath.Dir(filepath.Clean(p))) {
			root = filepath.Dir(filepath.Clean(p))
		}
		if !slices.ContainsFunc(roots, func(r string) bool { return absPath(r) == absPath(root) }) {
			roots = append(roots, root)
		}
	}
	return roots
}

// isLabFolder: p is the folder named after lab (not a chart in it).
func isLabFolder(p string, lab finding.Lab) bool {
	abs, _ := filepath.Abs(p)
	return filepath.Base(abs) == string(lab)
}

// holdsLabs: dir is a labs folder (it holds folders named after labs).
func holdsLabs(dir string) bool {
	n := 0
	for _, l := range finding.Labs {
		if info, err := os.Stat(filepath.Join(dir, string(l))); err == nil && info.IsDir() {
			n++
		}
	}
	return n > 1
}

// pathKind says what a PATH is: one lab's folder (named after the lab) or
// a chart (helm), a whole submission (any other folder), or neither (a
// file: it holds the labs of what it is).
func pathKind(p string) (lab finding.Lab, whole bool) {
	info, err := os.Stat(p)
	if err != nil || !info.IsDir() {
		return "", false
	}
	abs, _ := filepath.Abs(p)
	if l, err := finding.ParseLab(filepath.Base(abs)); err == nil {
		return l, false
	}
	if _, err := os.Stat(filepath.Join(p, "Chart.yaml")); err == nil {
		return finding.Helm, false
	}
	return "", true
}

// labsOf lists the labs a discovered tree has files (or refused files) of.
func labsOf(t *discover.Tree) []finding.Lab {
	var labs []finding.Lab
	for _, f := range t.Files {
		labs = append(labs, f.Lab)
	}
	for _, p := range t.Problems {
		labs = append(labs, p.Lab)
	}
	if len(t.Charts) > 0 {
		labs = append(labs, finding.Helm)
	}
	return labs
}

// changedLabs lists the labs the changed files belong to; a changed
// config concerns every lab.
func changedLabs(changed []string, t *discover.Tree) []finding.Lab {
	held := map[finding.Lab]bool{}
	want := map[string]bool{}
	for _, c := range changed {
		if filepath.Base(c) == config.FileName {
			return finding.Labs
		}
		want[absPath(c)] = true
	}
	for _, f := range t.Files {
		if want[absPath(f.Path)] {
			held[f.Lab] = true
		}
	}
	for _, p := range t.Problems {
		if want[absPath(p.Path)] {
			held[p.Lab] = true
		}
	}
	for _, c := range t.Charts {
		for _, f := range c.Files {
			if want[absPath(filepath.Join(c.Path, f.Rel))] {
				held[finding.Helm] = true
			}
		}
	}
	var labs []finding.Lab
	for _, l := range finding.Labs {
		if held[l] {
			labs = append(labs, l)
		}
	}
	return labs
}

func absPath(p string) string {
	abs, err := filepath.Abs(filepath.FromSlash(p))
	if err != nil {
		return p
	}
	return abs
}

// ordered returns labs in report order.
func ordered(labs []finding.Lab) []finding.Lab {
	var out []finding.Lab
	for _, l := range finding.Labs {
		if slices.Contains(labs, l) {
			out = append(out, l)
		}
	}
	return out
}
