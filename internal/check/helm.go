package check

import (
	"context"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/labcheck/labcheck/internal/discover"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/parse/manifest"
	"github.com/labcheck/labcheck/internal/render"
)

// helmLab is the Helm lab's policy input. Go gathers facts about each chart
// (its files as written, and what rendering them gave); policies judge.
//
//	{
//	  "charts": [{
//	    "dir": "labs/helm/minio",
//	    "chart_yaml": {"file", "present", "parsed", "object": {...}, "lines": {"version": 5, ...}},
//	    "version": {"helm": true, "semver": true},      // Helm accepts it (loose); strict SemVer 2.0.0
//	    "values":  {"file", "present", "parsed", "object": {...}, "lines": {"image.tag": 6, ...}},
//	    "helpers": {"file": ".../templates/_helpers.tpl", "present": true},
//	    "templates": [{                                   // the chart's own templates/, not its subcharts'
//	      "file", "path": "templates/statefulset.yaml",
//	      "partial": false, "test": false,                // _*.tpl; under templates/tests/ (helm test hooks)
//	      "defines": [{"name", "line"}], "includes": [{"name", "line"}],   // define / include and template calls
//	      "keys": [{"key": "replicas", "value": "{{ .Values.replicaCount }}", "indent": 2, "line": 10}]
//	    }],
//	    "renders": [{"values": ".../values.yaml", "rendered": true, "objects": 7}],   // defaults first, then ci/*-values.yaml
//	    "kubernetes": [{"rule", "name", "severity", "file", "line", "message", "suppressed"}]  // Kubernetes findings (warning and above) on the rendered chart
//	  }],
//	  "problems": [{"file", "line", "message"}],   // unreadable files, charts that do not load or render with their defaults: HELM-000
//	  "ci_problems": [{"file", "line", "message"}], // renders that fail only with a ci/*-values.yaml file
//	  "limits":   [{"file", "line", "message"}],   // renders stopped by a sandbox limit (time, output size)
//	  "withheld": [{"file", "line", "message"}],   // lookup, DNS, .Files outside the chart: what the sandbox does not give
//	  "expected": {"dir": "labs/helm"}             // where a chart was expected
//	}
//
// Rendering is documented in internal/render: release "minio" in namespace
// "minio", Kubernetes v1.34, no cluster, bounded in time.
type helmLab struct {
	Charts     []helmChart  `json:"charts"`
	Problems   []Problem    `json:"problems"`
	CIProblems []Problem    `json:"ci_problems"`
	Limits     []Problem    `json:"limits"`
	Withheld   []Problem    `json:"withheld"`
	Expected   helmExpected `json:"expected"`
}

type helmExpected struct {
	Dir string `json:"dir"`
}

type helmChart struct {
	Dir        string          `json:"dir"`
	ChartYAML  chartFile       `json:"chart_yaml"`
	Version    chartVersion    `json:"version"`
	Values     chartFile       `json:"values"`
	Helpers    presence        `json:"helpers"`
	Templates  []chartTemplate `json:"templates"`
	Renders    []chartRender   `json:"renders"`
	Kubernetes []k8sFailure    `json:"kubernetes"`
}

// chartFile is a YAML file of a chart, read for its content.
type chartFile struct {
	File    string         `json:"file"`
	Present bool           `json:"present"`
	Parsed  bool           `json:"parsed"` // read without a problem: rules about its content judge only parsed files
	Object  map[string]any `json:"object"`
	Lines   map[string]int `json:"lines"`
}

// presence says whether a file the chart should have is there.
type presence struct {
	File    string `json:"file"`
	Present bool   `json:"present"`
}

type chartVersion struct {
	Helm   bool `json:"helm"`   // Helm accepts it (Masterminds semver, which also takes "1.0" or "v1.2.3")
	Semver bool `json:"semver"` // it is strict SemVer 2.0.0 (MAJOR.MINOR.PATCH)
}

type chartTemplate struct {
	File     string        `json:"file"`
	Path     string        `json:"path"`
	Partial  bool          `json:"partial"`
	Test     bool          `json:"test"`
	Defines  []named       `json:"defines"`
	Includes []named       `json:"includes"`
	Keys     []templateKey `json:"keys"`
}

type named struct {
	Name string `json:"name"`
	Line int    `json:"line"`
}

type templateKey struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Indent int    `json:"indent"`
	Line   int    `json:"line"`
}

type chartRender struct {
	Values   string `json:"values"`
	Rendered bool   `json:"rendered"`
	Objects  int    `json:"objects"`
}

type k8sFailure struct {
	Rule       string `json:"rule"`
	Name       string `json:"name"`
	Severity   string `json:"severity"`
	File       string `json:"file"`
	Line       int    `json:"line"`
	Message    string `json:"message"`
	Suppressed bool   `json:"suppressed"`
}

func helmInput(ctx context.Context, s *submission) (labInput, error) {
	in := helmLab{
		Charts:     []helmChart{},
		Problems:   problemsOf(s.trees, finding.Helm),
		CIProblems: []Problem{},
		Limits:     []Problem{},
		Withheld:   []Problem{},
	}
	if len(s.trees) > 0 {
		in.Expected.Dir = s.trees[0].Expected(finding.Helm, "")
	}
	if s.eng != nil {
		go s.eng.Prepare(ctx, finding.Kubernetes) // the Kubernetes rules judge the rendered chart: compile them while it renders
	}
	var k8s []finding.Finding
	var waivers []Waiver
	for _, rc := range s.rendered(ctx) {
		hc := chartFacts(rc)
		in.Problems = append(in.Problems, rc.Refused...)
		for _, p := range rc.Unavailable {
			in.Withheld = append(in.Withheld, rc.problem(p, hc))
		}
		in.addRenderProblems(rc, hc)
		fs, err := rc.kubernetesFindings(ctx, s.eng)
		if err != nil {
			return labInput{}, err
		}
		k8s = append(k8s, fs...)
		hc.Kubernetes = failures(fs)
		waivers = append(waivers, summaryWaiver(hc.Kubernetes)...)
		in.Charts = append(in.Charts, hc)
	}
	submitted := len(in.Charts) > 0 || len(in.Problems) > 0
	return labInput{input: in, submitted: submitted, findings: k8s, waivers: waivers}, nil
}

// summaryWaiver waives HELM-012's summary of a chart when every Kubernetes
// finding it sums up is waived, so that the summary counts exactly when
// they do (the grader decides whether waivers count).
func summaryWaiver(fs []k8sFailure) []Waiver {
	if len(fs) == 0 || slices.ContainsFunc(fs, func(f k8sFailure) bool { return !f.Suppressed }) {
		return nil
	}
	return []Waiver{{Rule: "HELM-012", File: fs[0].File, Line: fs[0].Line, Reason: "every Kubernetes finding it sums up is waived"}}
}

// addRenderProblems reports what stopped each render: with the default
// values as problems (HELM-000), with a ci values file as ci problems
// (HELM-014), past a sandbox limit as limits. A ci values file that fails
// where the defaults already failed adds nothing new and is left out.
func (in *helmLab) addRenderProblems(rc renderedChart, hc helmChart) {
	seen := map[Problem]bool{}
	for i, r := range rc.Renders {
		for _, q := range rc.placed(r, hc) {
			at := Problem{File: q.File, Line: q.Line}
			switch {
			case seen[at]:
			case q.limit:
				in.Limits = append(in.Limits, q.Problem)
			case i == 0:
				in.Problems = append(in.Problems, q.Problem)
			default:
				in.CIProblems = append(in.CIProblems, q.Problem)
			}
			seen[at] = true
		}
	}
}

type placedProblem struct {
	Problem
	limit bool // a sandbox limit, not a fault of the chart's syntax
}

// placed are what kept a render from giving manifests to judge, at chart
// files as the user would type them: the render's problems (Repaired ones
// are left to the Chart.yaml rules, Withheld ones are listed once per
// chart) and rendered text that is not valid YAML.
func (rc renderedChart) placed(r renderedValues, hc helmChart) []placedProblem {
	var out []placedProblem
	for _, p := range r.Problems {
		if p.Kind == render.Broken || p.Kind == render.Limit {
			out = append(out, placedProblem{rc.problem(p, hc), p.Kind == render.Limit})
		}
	}
	for _, q := range r.YAMLProblems {
		out = append(out, placedProblem{Problem: q})
	}
	return out
}

// problem places a render problem at a file of the chart, as the user would
// type it. A problem about a Chart.yaml field without a line of its own
// gets the field's line; one about the chart as a whole, Chart.yaml's.
func (rc renderedChart) problem(p render.Problem, hc helmChart) Problem {
	file := p.File
	if file == "" {
		file = "Chart.yaml"
	}
	line := p.Line
	if line == 0 && p.Field != "" && file == "Chart.yaml" {
		line = hc.ChartYAML.Lines[p.Field]
	}
	return Problem{File: path.Join(rc.Dir, file), Line: line, Message: p.Message}
}

// chartFacts reads what the chart rules judge from the chart's own files.
func chartFacts(rc renderedChart) helmChart {
	hc := helmChart{
		Dir:        rc.Dir,
		ChartYAML:  yamlFacts(rc, "Chart.yaml"),
		Values:     yamlFacts(rc, "values.yaml"),
		Helpers:    presence{File: path.Join(rc.Dir, "templates/_helpers.tpl")},
		Templates:  []chartTemplate{},
		Renders:    []chartRender{},
		Kubernetes: []k8sFailure{},
	}
	v, _ := hc.ChartYAML.Object["version"].(string)
	_, loose := semver.NewVersion(v)
	_, strict := semver.StrictNewVersion(v)
	hc.Version = chartVersion{Helm: v != "" && loose == nil, Semver: strict == nil}
	for _, f := range rc.Files {
		if f.Rel == "templates/_helpers.tpl" {
			hc.Helpers.Present = true
		}
		if rest, ok := strings.CutPrefix(f.Rel, "templates/"); ok && path.Base(f.Rel) != "NOTES.txt" {
			hc.Templates = append(hc.Templates, templateFacts(f, rest))
		}
	}
	for _, r := range rc.Renders {
		hc.Renders = append(hc.Renders, chartRender{Values: path.Join(rc.Dir, r.Values), Rendered: r.Rendered(), Objects: len(r.Objects)})
	}
	return hc
}

// yamlFacts reads a YAML file of the chart with labcheck's reader, for the
// lines of its keys. Whether Helm can read it is the render's business
// (HELM-000); here a file that does not read cleanly is just not parsed.
func yamlFacts(rc renderedChart, name string) chartFile {
	cf := chartFile{File: path.Join(rc.Dir, name), Object: map[string]any{}, Lines: map[string]int{}}
	for _, f := range rc.Files {
		if f.Rel != name {
			continue
		}
		cf.Present = true
		objs, probs := manifest.Parse(cf.File, f.Data, manifest.DefaultLimits)
		cf.Parsed = len(probs) == 0 && len(objs) <= 1
		if len(objs) == 1 {
			cf.Object, cf.Lines = objs[0].Object, objs[0].Lines
		}
	}
	return cf
}

var (
	templateAction = regexp.MustCompile(`(?s)\{\{(.*?)\}\}`)
	defineCall     = regexp.MustCompile(`^-?\s*define\s+"([^"]+)"`)
	includeCall    = regexp.MustCompile(`\b(?:include|template)\s+"([^"]+)"`)
)

// templateFacts lists a template's helper definitions and uses (outside
// comments) and its YAML key lines.
func templateFacts(f discover.File, rest string) chartTemplate {
	t := chartTemplate{
		File: f.Path, Path: f.Rel,
		Partial:  strings.HasPrefix(path.Base(f.Rel), "_"),
		Test:     strings.HasPrefix(rest, "tests/"),
		Defines:  []named{},
		Includes: []named{},
		Keys:     []templateKey{},
	}
	text := string(f.Data)
	for _, a := range templateAction.FindAllStringSubmatchIndex(text, -1) {
		body := text[a[2]:a[3]]
		if strings.HasPrefix(strings.TrimLeft(body, "- "), "/*") {
			continue
		}
		line := 1 + strings.Count(text[:a[0]], "\n")
		if m := defineCall.FindStringSubmatch(body); m != nil {
			t.Defines = append(t.Defines, named{m[1], line})
		}
		for _, m := range includeCall.FindAllStringSubmatch(body, -1) {
			t.Includes = append(t.Includes, named{m[1], line})
		}
	}
	for i, l := range strings.Split(text, "\n") {
		if indent, key, value, ok := render.KeyLine(l); ok {
			t.Keys = append(t.Keys, templateKey{Key: key, Value: value, Indent: indent, Line: i + 1})
		}
	}
	return t
}

// failures are the Kubernetes findings at warning or above, which HELM-012
// sums up; waived ones are included, and marked.
func failures(fs []finding.Finding) []k8sFailure {
	out := []k8sFailure{}
	for _, f := range finding.Sort(slices.Clone(fs)) {
		if f.Severity.Rank() < finding.Warning.Rank() {
			continue
		}
		out = append(out, k8sFailure{Rule: f.Rule, Name: f.Name, Severity: string(f.Severity), File: f.File, Line: f.Line, Message: f.Message, Suppressed: f.Suppressed})
	}
	return out
}
