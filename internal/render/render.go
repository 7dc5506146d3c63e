package render

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/scheme"
)

// The release every chart is rendered as. The dynamic phase installs the
// chart under the same name, in the same namespace, on a cluster of this
// version, so that names and capabilities in findings match what runs.
const (
	ReleaseName = "minio"
	Namespace   = "minio"
	KubeVersion = "v1.34.0"
)

// DefaultValues names the render with the chart's own values.yaml.
const DefaultValues = "values.yaml"

// Limits bound one render.
type Limits struct {
	// Timeout is how long one render may run. Go cannot stop a goroutine:
	// a render past its deadline is abandoned, reported, and keeps running
	// until it ends or the process exits (see withDeadline).
	Timeout time.Duration
	// MaxOutput is the size, in bytes, of the rendered text labcheck reads.
	// Helm's engine buffers each template's output itself, so the cap is
	// applied when the render returns; the time limit bounds the render.
	MaxOutput int
}

// DefaultLimits: real charts render in milliseconds, so two seconds is
// generous and still reports a runaway template quickly.
var DefaultLimits = Limits{Timeout: 2 * time.Second, MaxOutput: 4 << 20}

// Kind says what a Problem means for the chart.
type Kind string

// Kinds of problems.
const (
	Broken   Kind = "error"    // the chart does not load or render
	Limit    Kind = "limit"    // a sandbox limit stopped the render
	Withheld Kind = "withheld" // the chart asks for something the sandbox does not give (cluster, DNS, files outside it)
	Repaired Kind = "repaired" // Helm refused a Chart.yaml field; a stand-in was used so the templates could still render
)

// Problem is something that kept a chart from rendering, or that the
// sandbox withheld, at a file of the chart.
type Problem struct {
	Kind    Kind
	File    string // relative to the chart folder; "" for the chart as a whole
	Field   string // the Chart.yaml field it is about, when it is about one
	Line    int    // 1-based; 0 when the error names no line
	Column  int
	Message string
}

// Manifest is what one template rendered to.
type Manifest struct {
	Template string // relative to the chart folder: templates/x.yaml, charts/sub/templates/y.yaml
	Source   string // the template's text
	Output   string // the rendered text
}

// Result is one render of a chart.
type Result struct {
	Values    string     // the values file it used, relative to the chart folder
	Manifests []Manifest // in template order; only templates that rendered to something
	Problems  []Problem
}

// Rendered reports whether the render produced manifests to judge.
func (r Result) Rendered() bool {
	return !slices.ContainsFunc(r.Problems, func(p Problem) bool { return p.Kind == Broken || p.Kind == Limit })
}

// Chart renders a chart given its files (named relative to the chart
// folder, subcharts under charts/): first with its default values, then,
// if that got as far as running the templates, once per ci/*-values.yaml.
// A chart that does not load or runs out of time is not tried again with
// other values: the answer would be the same, only slower.
func Chart(ctx context.Context, files []*loader.BufferedFile, lim Limits) []Result {
	kept := withoutIgnored(files)
	tt := newTemplateTrees()
	def, again := renderWith(ctx, kept, DefaultValues, nil, lim, tt)
	if !again {
		return []Result{def}
	}
	ci := ciValues(files)
	results := make([]Result, 1+len(ci))
	results[0] = def
	var wg sync.WaitGroup
	for i, f := range ci {
		wg.Go(func() { results[i+1], _ = renderWith(ctx, kept, f.Name, f.Data, lim, tt) })
	}
	wg.Wait()
	return results
}

// ciValues are chart-testing's values files: ci/*-values.yaml, in name
// order. They are read whatever .helmignore says, as ct does.
func ciValues(files []*loader.BufferedFile) []*loader.BufferedFile {
	var out []*loader.BufferedFile
	for _, f := range files {
		if dir, base := path.Split(f.Name); dir == "ci/" && strings.HasSuffix(base, "-values.yaml") {
			out = append(out, f)
		}
	}
	slices.SortFunc(out, func(a, b *loader.BufferedFile) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// renderWith loads a fresh chart (rendering and dependency processing
// change the chart, and an abandoned render may still hold the last one)
// and renders it with the given values file (nil data: the defaults).
// again says whether other values could render differently: not when the
// chart does not load, does not fit the cluster, or ran out of time.
func renderWith(ctx context.Context, files []*loader.BufferedFile, valuesFile string, data []byte, lim Limits, tt *templateTrees) (res Result, again bool) {
	res = Result{Values: valuesFile}
	c, probs := load(files)
	res.Problems = probs
	if c == nil {
		return res, false
	}
	if t := c.Metadata.Type; t != "" && t != "application" {
		res.Problems = append(res.Problems, Problem{Kind: Broken, File: "Chart.yaml", Field: "type", Message: fmt.Sprintf(
			"%s charts are not installable (helm template and helm install refuse them): the lab's chart is an application chart; a library chart belongs under charts/ of the chart that uses it", t)})
		return res, false
	}
	if p, ok := missingDependencies(c); ok {
		res.Problems = append(res.Problems, p)
		return res, false
	}
	if p, ok := kubeVersionProblem(c); ok {
		res.Problems = append(res.Problems, p)
		return res, false
	}
	top, p, ok := renderValues(c, valuesFile, data)
	if !ok {
		res.Problems = append(res.Problems, p)
		return res, true
	}
	values, _ := asMap(top["Values"])
	if p, ok := oversized(c, "", values, files, tt); ok {
		res.Problems = append(res.Problems, p)
		return res, false
	}
	idx := templateIndex(c, files)
	out, err := withDeadline(ctx, lim.Timeout, func() (map[string]string, error) { return engine.Engine{}.Render(c, top) })
	switch {
	case err == errTimeout:
		res.Problems = append(res.Problems, timeoutProblem(files, valuesFile, lim.Timeout))
		return res, false
	case err != nil && err == ctx.Err():
		res.Problems = append(res.Problems, Problem{Kind: Limit, Message: fmt.Sprintf("rendering with %s was cancelled: %v", valuesFile, err)})
		return res, false
	case err != nil:
		res.Problems = append(res.Problems, templateProblem(err, valuesFile, idx))
		return res, true
	}
	if res.Manifests, err = manifests(out, idx, lim.MaxOutput); err != nil {
		res.Problems = append(res.Problems, Problem{Kind: Limit, Message: fmt.Sprintf("rendering with %s %v", valuesFile, err)})
	}
	return res, true
}

// renderValues are the values templates see: the release, the cluster's
// capabilities, and the chart's values with the values file's over them,
// after dependencies' conditions, tags and import-values, as `helm install`
// prepares them.
func renderValues(c *chart.Chart, valuesFile string, data []byte) (chartutil.Values, Problem, bool) {
	vals := map[string]any{}
	if data != nil {
		v, err := chartutil.ReadValues(data)
		if err != nil {
			return nil, Problem{Kind: Broken, File: valuesFile, Line: yamlLine(err), Message: fmt.Sprintf("%s cannot be read: %v", valuesFile, err)}, false
		}
		vals = v
	}
	if err := chartutil.ProcessDependenciesWithMerge(c, vals); err != nil {
		return nil, Problem{Kind: Broken, File: "Chart.yaml", Field: "dependencies", Message: fmt.Sprintf("dependencies cannot be processed with %s: %v", valuesFile, err)}, false
	}
	// values.schema.json is not validated: its $refs may name local files
	// or URLs, and the sandbox reads neither.
	top, err := chartutil.ToRenderValuesWithSchemaValidation(c, vals, releaseOptions, capabilities(), true)
	if err != nil {
		return nil, Problem{Kind: Broken, File: valuesFile, Message: fmt.Sprintf("values from %s cannot be merged with the chart's: %v", valuesFile, err)}, false
	}
	return top, Problem{}, true
}

// timeoutProblem reports an abandoned render, at the loop that most likely
// ran away when one template holds one.
func timeoutProblem(files []*loader.BufferedFile, valuesFile string, d time.Duration) Problem {
	p := Problem{Kind: Limit, Message: fmt.Sprintf("rendering with %s did not finish within %s (a runaway loop or recursion?); it was abandoned", valuesFile, d)}
	if file, line, ok := suspect(files); ok {
		p.File, p.Line = file, line
		p.Message = fmt.Sprintf("rendering with %s did not finish within %s; this loop is the likely cause; the render was abandoned", valuesFile, d)
	}
	return p
}

var releaseOptions = chartutil.ReleaseOptions{Name: ReleaseName, Namespace: Namespace, Revision: 1, IsInstall: true}

// capabilities are Helm's defaults (the API versions of the client
// libraries it was built with) with the dynamic phase's Kubernetes
// version, plus each built-in kind as group/version/Kind, which a real
// cluster reports too and which charts test for
// (.Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget").
var capabilities = sync.OnceValue(func() *chartutil.Capabilities {
	caps := chartutil.DefaultCapabilities.Copy()
	kv, err := chartutil.ParseKubeVersion(KubeVersion)
	if err != nil {
		panic(fmt.Sprintf("render: KubeVersion %q: %v", KubeVersion, err))
	}
	caps.KubeVersion = *kv
	versions := slices.Clone(caps.APIVersions)
	for gvk := range scheme.Scheme.AllKnownTypes() {
		if gvk.Version != runtime.APIVersionInternal && !strings.HasSuffix(gvk.Kind, "List") {
			versions = append(versions, gvk.GroupVersion().String()+"/"+gvk.Kind)
		}
	}
	slices.Sort(versions)
	caps.APIVersions = slices.Compact(versions)
	return caps
})

// missingDependencies is Helm's install-time check that every dependency
// Chart.yaml names was loaded from charts/ (unpacked or packaged), whatever
// its condition: `helm template` and `helm install` stop there, with this
// message, before any template runs. It points at the first missing one.
func missingDependencies(c *chart.Chart) (Problem, bool) {
	loaded := map[string]bool{}
	for _, d := range c.Dependencies() {
		loaded[d.Name()] = true
	}
	var missing []string
	first := -1
	for i, d := range c.Metadata.Dependencies {
		if d != nil && !loaded[d.Name] {
			missing = append(missing, d.Name)
			if first < 0 {
				first = i
			}
		}
	}
	if len(missing) == 0 {
		return Problem{}, false
	}
	return Problem{Kind: Broken, File: "Chart.yaml", Field: fmt.Sprintf("dependencies[%d].name", first), Message: fmt.Sprintf(
		"found in Chart.yaml, but missing in charts/ directory: %s (helm template stops here; run `helm dependency build` to fetch it into charts/)", strings.Join(missing, ", "))}, true
}

// APIVersions are the API versions the lab's cluster reports to
// templates (.Capabilities.APIVersions).
func APIVersions() []string { return slices.Clone(capabilities().APIVersions) }

// kubeVersionProblem is Helm's install-time check of Chart.yaml's
// kubeVersion constraint against the cluster.
func kubeVersionProblem(c *chart.Chart) (Problem, bool) {
	want := c.Metadata.KubeVersion
	if want == "" || chartutil.IsCompatibleRange(want, KubeVersion) {
		return Problem{}, false
	}
	return Problem{Kind: Broken, File: "Chart.yaml", Field: "kubeVersion", Message: fmt.Sprintf("chart requires kubeVersion %s, which is incompatible with the lab's Kubernetes %s", want, KubeVersion)}, true
}

// manifests pairs each rendered template with its source, leaving out
// partials, NOTES.txt and templates that rendered to nothing, as `helm
// template` does.
func manifests(out map[string]string, idx map[string]source, max int) ([]Manifest, error) {
	total := 0
	var ms []Manifest
	for key, text := range out {
		total += len(text)
		if path.Base(key) == "NOTES.txt" || strings.TrimSpace(text) == "" {
			continue
		}
		src, ok := idx[key]
		if !ok {
			src = source{path: key}
		}
		ms = append(ms, Manifest{Template: src.path, Source: src.text, Output: text})
	}
	if total > max {
		return nil, fmt.Errorf("produced %s of text, more than the %s labcheck reads; the output was not checked", size(total), size(max))
	}
	slices.SortFunc(ms, func(a, b Manifest) int { return strings.Compare(a.Template, b.Template) })
	return ms, nil
}

func size(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d bytes", n)
}
