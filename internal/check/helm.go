package check

import (
	"context"
	"fmt"
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
//	    "version": {"helm": true, "semver": true, "why": "", "suggestion": ""},   // Helm accepts it (loose); strict SemVer 2.0.0; else what is wrong, and the fix
//	    "values":  {"file", "present", "parsed", "object": {...}, "lines": {"image.tag": 6, ...}},
//	    "helpers": {"file": ".../templates/_helpers.tpl", "present": true},   // a partial (templates/_*), or the templates folder when there is none
//	    "templates": [{                                   // the chart's own templates/, not its subcharts'
//	      "file", "path": "templates/statefulset.yaml",
//	      "partial": false, "test": false,                // _*.tpl; under templates/tests/ (helm test hooks)
//	      "defines": [{"name", "line"}], "includes": [{"name", "line"}],   // define / include and template calls
//	      "keys": [{"key": "replicas", "value": "{{ .Values.replicaCount }}", "indent": 2, "line": 10, "kind": "StatefulSet",
//	                "literal": "", "action": true}]   // from the parse tree: what is written as is, and whether an action writes part of it
//	    }],
//	    "crds": [{"file", "line", "name", "plural", "group"}],   // CustomResourceDefinitions the defaults render, at their name's template line
//	    "renders": [{"values": ".../values.yaml", "rendered": true, "objects": 7}],   // defaults first, then ci/*-values.yaml
//	    "kubernetes": [{"rule", "name", "severity", "file", "line", "message"}]  // Kubernetes findings (warning and above) on the rendered chart, filled by the derived stage (kubernetesOnCharts)
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
	CRDs       []crd           `json:"crds"`
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
	Helm       bool   `json:"helm"`       // Helm accepts it (Masterminds semver, which also takes "1.0" or "v1.2.3")
	Semver     bool   `json:"semver"`     // it is strict SemVer 2.0.0 (MAJOR.MINOR.PATCH)
	Why        string `json:"why"`        // what keeps a version Helm accepts from being SemVer 2
	Suggestion string `json:"suggestion"` // the SemVer 2 spelling of it, "" when there is none
}

// versionFacts says whether Helm and SemVer 2 accept a chart version and,
// for one only Helm accepts, what is wrong with it: a leading zero
// (2023.04.1) is not a shorthand (1.0), nor is a leading v.
func versionFacts(v string) chartVersion {
	loose, lerr := semver.NewVersion(v)
	_, serr := semver.StrictNewVersion(v)
	cv := chartVersion{Helm: v != "" && lerr == nil, Semver: serr == nil}
	if !cv.Helm || cv.Semver {
		return cv
	}
	core, _, _ := strings.Cut(strings.SplitN(v, "+", 2)[0], "-")
	core = strings.TrimPrefix(core, "v")
	parts := strings.Split(core, ".")
	var zeros []string
	for _, p := range parts {
		if len(p) > 1 && p[0] == '0' {
			zeros = append(zeros, p)
		}
	}
	cv.Suggestion = loose.String()
	switch {
	case strings.HasPrefix(v, "v"):
		cv.Why = "starts with v"
	case len(zeros) > 0:
		cv.Why = fmt.Sprintf("has a leading zero in %s, which SemVer 2 forbids", strings.Join(zeros, " and "))
	case len(parts) < 3:
		cv.Why = "is a shorthand"
	default:
		cv.Why, cv.Suggestion = "is not SemVer 2", ""
	}
	return cv
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
	Kind   string `json:"kind"` // the kind of the YAML document the key is in, when the template writes it literally
	// Read from the template's parse tree (text/template/parse):
	Literal string `json:"literal"` // what the value writes as it is: outside actions and outside if/range/with branches
	Action  bool   `json:"action"`  // an action or a branch writes part of the value
}

// crd is a CustomResourceDefinition a chart renders: Kubernetes accepts
// it only under the name <plural>.<group>.
type crd struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Name   string `json:"name"`
	Plural string `json:"plural"`
	Group  string `json:"group"`
}

type chartRender struct {
	Values   string `json:"values"`
	Rendered bool   `json:"rendered"`
	Objects  int    `json:"objects"`
}

type k8sFailure struct {
	Rule     string `json:"rule"`
	Name     string `json:"name"`
	Severity string `json:"severity"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Message  string `json:"message"`
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
		go s.eng.Prepare(ctx, finding.Kubernetes) // the derived stage runs the Kubernetes rules on the rendered charts: compile them while they render
	}
	charts := s.rendered(ctx)
	// A file discovery refused to read (binary, too large) is nothing when
	// the chart's .helmignore leaves it out. One the chart keeps, Helm
	// reads and renders the chart anyway: labcheck agrees with helm
	// template on whether the chart renders (no HELM-000), and says that
	// templates reading it get nothing here (HELM-013), as for a symlink
	// leading out of the chart.
	in.Problems = slices.DeleteFunc(in.Problems, func(p Problem) bool {
		for _, rc := range charts {
			if rc.leaves(p.File) {
				return true
			}
			if rc.holds(p.File) {
				in.Withheld = append(in.Withheld, unread(p))
				return true
			}
		}
		return false
	})
	for _, rc := range charts {
		hc := chartFacts(rc)
		for _, p := range rc.Refused {
			in.Withheld = append(in.Withheld, unread(p))
		}
		for _, p := range rc.Unavailable {
			in.Withheld = append(in.Withheld, rc.problem(p, hc))
		}
		in.addRenderProblems(rc, hc)
		in.Charts = append(in.Charts, hc)
	}
	submitted := len(in.Charts) > 0 || len(in.Problems) > 0
	return labInput{input: in, submitted: submitted}, nil
}

// unread is a chart file labcheck did not read, as what the sandbox
// withholds from the templates.
func unread(p Problem) Problem {
	p.Message += "; Helm would read it into the chart, so it does not stop the render, but templates that read it with .Files get nothing here"
	return p
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
		Helpers:    presence{File: path.Join(rc.Dir, "templates")},
		Templates:  []chartTemplate{},
		Renders:    []chartRender{},
		Kubernetes: []k8sFailure{},
	}
	v, _ := hc.ChartYAML.Object["version"].(string)
	hc.Version = versionFacts(v)
	for _, f := range rc.Files {
		// Helm loads every partial (templates/_*): helpers in _helper.tpl
		// or _labels.tpl count as much as in _helpers.tpl, which is
		// preferred for the finding's place when there are several.
		if dir, base := path.Split(f.Rel); dir == "templates/" && strings.HasPrefix(base, "_") && (!hc.Helpers.Present || base == "_helpers.tpl") {
			hc.Helpers = presence{File: f.Path, Present: true}
		}
		if rest, ok := strings.CutPrefix(f.Rel, "templates/"); ok && path.Base(f.Rel) != "NOTES.txt" {
			hc.Templates = append(hc.Templates, templateFacts(f, rest))
		}
	}
	for _, r := range rc.Renders {
		hc.Renders = append(hc.Renders, chartRender{Values: path.Join(rc.Dir, r.Values), Rendered: r.Rendered(), Objects: len(r.Objects)})
	}
	hc.CRDs = crdFacts(rc)
	return hc
}

// crdFacts are the CustomResourceDefinitions the chart renders with its
// default values, at the template line of their name.
func crdFacts(rc renderedChart) []crd {
	out := []crd{}
	if len(rc.Renders) == 0 || !rc.Renders[0].Rendered() {
		return out
	}
	r := rc.Renders[0]
	for _, o := range r.Objects {
		if o.Kind != "CustomResourceDefinition" {
			continue
		}
		spec, _ := o.Object["spec"].(map[string]any)
		names, _ := spec["names"].(map[string]any)
		plural, _ := names["plural"].(string)
		group, _ := spec["group"].(string)
		at := finding.Finding{File: o.File, Line: o.Lines["metadata.name"]}
		if at.Line == 0 {
			at.Line = o.Line
		}
		rc.toTemplate(r, &at)
		out = append(out, crd{File: at.File, Line: at.Line, Name: o.Name, Plural: plural, Group: group})
	}
	return out
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

// scanRefs finds define blocks and include/template calls in the text of
// a template that does not parse, action by action.
func scanRefs(text string) (defines, includes []named) {
	defines, includes = []named{}, []named{}
	for _, a := range templateAction.FindAllStringSubmatchIndex(text, -1) {
		body := text[a[2]:a[3]]
		if strings.HasPrefix(strings.TrimLeft(body, "- "), "/*") {
			continue
		}
		line := 1 + strings.Count(text[:a[0]], "\n")
		if m := defineCall.FindStringSubmatch(body); m != nil {
			defines = append(defines, named{m[1], line})
		}
		for _, m := range includeCall.FindAllStringSubmatch(body, -1) {
			includes = append(includes, named{m[1], line})
		}
	}
	return defines, includes
}

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
	parsed := render.ParseTemplate(f.Rel, text)
	if parsed.Parsed {
		for _, r := range parsed.Defines {
			t.Defines = append(t.Defines, named{r.Name, r.Line})
		}
		for _, r := range parsed.Includes {
			t.Includes = append(t.Includes, named{r.Name, r.Line})
		}
	} else {
		// A template that does not parse is HELM-000's error; its helpers
		// are still read, so that one defect does not also read as
		// missing helpers (HELM-007).
		t.Defines, t.Includes = scanRefs(text)
	}
	doc, docs, kinds := 0, []int{}, map[int]string{} // the YAML document of each key, and each document's literal kind
	offset := 0
	for i, l := range strings.Split(text, "\n") {
		start := offset // of the line in text
		offset += len(l) + 1
		if strings.HasPrefix(l, "---") {
			doc++
			continue
		}
		indent, key, value, ok := render.KeyLine(l)
		if !ok {
			continue
		}
		k := templateKey{Key: key, Value: value, Indent: indent, Line: i + 1}
		if at := strings.Index(l, key+":"); at >= 0 {
			lit, action := parsed.Literal(start+at+len(key)+1, start+len(l))
			k.Literal, k.Action = strings.TrimSpace(lit), action
		}
		t.Keys = append(t.Keys, k)
		docs = append(docs, doc)
		if key == "kind" && indent == 0 && !strings.Contains(value, "{{") {
			kinds[doc] = strings.Trim(value, `"'`)
		}
	}
	for j := range t.Keys {
		t.Keys[j].Kind = kinds[docs[j]]
	}
	return t
}

// failures are the Kubernetes findings at warning or above, which HELM-012
// sums up (waived ones too: waivers are applied after evaluation, and a
// summary all of whose findings are waived is waived with them).
func failures(fs []finding.Finding) []k8sFailure {
	out := []k8sFailure{}
	for _, f := range finding.Sort(atLeast(fs, finding.Warning)) {
		out = append(out, k8sFailure{Rule: f.Rule, Name: f.Name, Severity: string(f.Severity), File: f.File, Line: f.Line, Message: f.Message})
	}
	return out
}
