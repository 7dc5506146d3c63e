package check

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"helm.sh/helm/v3/pkg/chart/loader"

	"github.com/labcheck/labcheck/internal/discover"
	"github.com/labcheck/labcheck/internal/parse/manifest"
	"github.com/labcheck/labcheck/internal/render"
)

// renderedChart is a chart of the submission and what rendering it gave:
// the helm lab judges it, and other labs may read its objects (the
// Services a chart creates, for instance).
type renderedChart struct {
	Dir         string           // the chart folder, as the user would type it
	Files       []discover.File  // its files and its subcharts', Rel relative to Dir
	Renders     []renderedValues // the defaults first, then each ci/*-values.yaml
	Unavailable []render.Problem // what its templates ask of the sandbox in vain
	Refused     []Problem        // files left out of the chart (symlinks leading out of it)
	ignored     func(rel string) bool
}

// renderedValues is one render and the objects it produced.
type renderedValues struct {
	render.Result
	Objects      []manifest.Object // File is the template as the user would type it; lines are lines of its rendered text
	YAMLProblems []Problem         // rendered text that is not valid YAML, at template lines
}

// rendered returns the submission's charts, rendered once however many
// labs look at them.
func (s *submission) rendered(ctx context.Context) []renderedChart {
	s.renderOnce.Do(func() { s.charts = renderCharts(ctx, s.trees) })
	return s.charts
}

// renderCharts renders every top-level chart of the trees in parallel.
func renderCharts(ctx context.Context, trees []*discover.Tree) []renderedChart {
	var charts []renderedChart
	for _, t := range trees {
		for _, c := range t.Charts {
			if !nested(c, t.Charts) {
				charts = append(charts, withSubcharts(c, t.Charts))
			}
		}
	}
	var wg sync.WaitGroup
	for i := range charts {
		wg.Go(func() { charts[i].render(ctx) })
	}
	wg.Wait()
	return charts
}

// nested reports whether c lies inside another chart, which renders it as
// a subchart (a dependency unpacked under charts/, as `helm template`
// does) or carries it as plain files: it is never judged as a chart of
// its own.
func nested(c discover.Chart, all []discover.Chart) bool {
	for _, d := range all {
		if _, ok := below(c.Rel, d.Rel); ok {
			return true
		}
	}
	return false
}

// below returns rel relative to dir when it lies strictly inside it (dir
// "." is the tree's root, when PATH is the chart folder itself).
func below(rel, dir string) (string, bool) {
	if rel == dir {
		return "", false
	}
	if dir == "." {
		return rel, true
	}
	return strings.CutPrefix(rel, dir+"/")
}

// withSubcharts gathers a chart's files and those of the charts inside it
// (discovery files each under its innermost chart). It leaves out what
// Helm leaves out (.helmignore and its default rule; ci/*-values.yaml are
// kept, as chart-testing reads them whatever .helmignore says), before
// anything is judged, and files that are symlinks leading out of the
// chart, which Helm would follow.
func withSubcharts(c discover.Chart, all []discover.Chart) renderedChart {
	rc := renderedChart{Dir: c.Path}
	files := slices.Clone(c.Files)
	for _, d := range all {
		if rest, ok := below(d.Rel, c.Rel); ok {
			for _, f := range d.Files {
				f.Rel = rest + "/" + f.Rel
				files = append(files, f)
			}
		}
	}
	buffered := make([]*loader.BufferedFile, len(files))
	for i, f := range files {
		buffered[i] = &loader.BufferedFile{Name: f.Rel, Data: f.Data}
	}
	ignored := render.Ignored(buffered)
	rc.ignored = func(rel string) bool { return ignored(rel) && !isCIValues(rel) }
	for _, f := range files {
		switch {
		case rc.ignored(f.Rel):
		case leavesChart(c.Path, f.Path):
			rc.Refused = append(rc.Refused, Problem{File: f.Path, Message: fmt.Sprintf("%s is a symlink that leads outside the chart %s; it was not read", f.Path, c.Path)})
		default:
			rc.Files = append(rc.Files, f)
		}
	}
	rc.Files = discover.Sorted(rc.Files)
	return rc
}

// isCIValues reports whether a chart file is one of chart-testing's
// ci/*-values.yaml.
func isCIValues(rel string) bool {
	dir, base := path.Split(rel)
	return dir == "ci/" && strings.HasSuffix(base, "-values.yaml")
}

// holds reports whether a file lies inside the chart folder.
func (rc renderedChart) holds(file string) bool {
	return strings.HasPrefix(file, rc.Dir+"/")
}

// leaves reports whether a file discovery refused to read (binary, too
// large) is one the chart's .helmignore leaves out: Helm never reads it,
// so it is not the chart's problem.
func (rc renderedChart) leaves(file string) bool {
	rel, ok := strings.CutPrefix(file, rc.Dir+"/")
	return ok && rc.ignored != nil && rc.ignored(rel)
}

// leavesChart reports whether file is a symlink whose target is outside
// dir. Discovery already refused links out of the submission; this only
// looks at the link, it reads nothing.
func leavesChart(dir, file string) bool {
	info, err := os.Lstat(file)
	if err != nil || info.Mode()&fs.ModeSymlink == 0 {
		return false
	}
	target, err := filepath.EvalSymlinks(file)
	if err != nil {
		return true
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return true
	}
	rel, err := filepath.Rel(root, target)
	return err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// render renders the chart and parses what each template produced.
func (rc *renderedChart) render(ctx context.Context) {
	files := make([]*loader.BufferedFile, len(rc.Files))
	for i, f := range rc.Files {
		files[i] = &loader.BufferedFile{Name: f.Rel, Data: f.Data}
	}
	rc.Unavailable = render.Unavailable(files)
	for _, r := range render.Chart(ctx, files, render.DefaultLimits) {
		rv := renderedValues{Result: r}
		for _, m := range r.Manifests {
			objs, probs := manifest.Parse(path.Join(rc.Dir, m.Template), []byte(m.Output), manifest.DefaultLimits)
			rv.Objects = append(rv.Objects, objs...)
			for _, p := range probs {
				rv.YAMLProblems = append(rv.YAMLProblems, rc.yamlProblem(m, p, r.Values))
			}
		}
		rc.Renders = append(rc.Renders, rv)
	}
}

var lineRef = regexp.MustCompile(`\bline \d+: `)

// yamlProblem places a problem of the rendered text at the template line
// that produced it, or at line 1 with the rendered line in the message.
func (rc *renderedChart) yamlProblem(m render.Manifest, p manifest.Problem, values string) Problem {
	why := strings.TrimPrefix(lineRef.ReplaceAllString(p.Message, ""), "invalid YAML: ")
	msg := fmt.Sprintf("%s renders to invalid YAML with %s (at line %d of the rendered text): %s", m.Template, values, p.Line, why)
	line, ok := m.SourceLine(p.Line)
	if !ok {
		line = 1
		msg += "; no template line matches the rendered one"
	}
	return Problem{File: path.Join(rc.Dir, m.Template), Line: line, Message: msg}
}
