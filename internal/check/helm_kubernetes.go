package check

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/finding"
	k8skinds "github.com/labcheck/labcheck/internal/kinds"
	"github.com/labcheck/labcheck/internal/parse/manifest"
	"github.com/labcheck/labcheck/internal/render"
)

// kubernetesOnCharts is the helm lab's derived stage: the Kubernetes
// lab's rules judge each rendered chart, as installed (asInstalled), with
// its default values and each ci/*-values.yaml. Their findings move to the
// template lines that wrote them, under the helm lab with their K8S ids,
// and HELM-012 sums them up in the chart's input.
//
// One defect is reported once: HELM-012 is the check the rubric grades
// (Lab 3's four points for what the chart renders), so it carries the
// severity of the worst finding it sums up, and each Kubernetes finding on
// the chart is information that points at the line to fix. As errors of
// their own, K8S ids under the helm lab would read as the Kubernetes lab's
// checks failing a second time. Rules about what the namespace must hold
// rather than what the chart ships (chartRules) are left out.
func kubernetesOnCharts(ctx context.Context, s *submission, in *labInput) error {
	hl, ok := in.input.(helmLab)
	if !ok || s.eng == nil {
		return nil
	}
	charts := s.rendered(ctx)
	for i := range hl.Charts {
		rc := charts[i]
		fs, ws, err := rc.kubernetesFindings(ctx, s.eng)
		if err != nil {
			return err
		}
		hl.Charts[i].Kubernetes = failures(fs)
		if len(hl.Charts[i].Kubernetes) > 0 {
			first := hl.Charts[i].Kubernetes[0]
			in.summaries = append(in.summaries, summary{Rule: "HELM-012", File: first.File, Line: first.Line, Of: atLeast(fs, finding.Warning)})
		}
		for j := range fs {
			fs[j].Severity = finding.Info
			fs[j].Message += "; counted by HELM-012"
		}
		in.findings = append(in.findings, fs...)
		in.waivers = append(in.waivers, ws...)
	}
	in.input = hl
	return nil
}

// atLeast are the findings at severity sev or above.
func atLeast(fs []finding.Finding, sev finding.Severity) []finding.Finding {
	var out []finding.Finding
	for _, f := range fs {
		if f.Severity.Rank() >= sev.Rank() {
			out = append(out, f)
		}
	}
	return out
}

// chartRule says whether a Kubernetes rule judges rendered charts.
type chartRule struct {
	Applies  bool   // false: never on a rendered chart
	OnlyWith string // applies only when the render holds an object of this kind
	Why      string
}

// chartRules are the Kubernetes rules that do not judge every rendered
// chart; every other rule does, since it judges what the chart ships. A
// chart is installed into a namespace that someone else owns (in this
// module, Lab 2's manifests create it with its ResourceQuota): what the
// namespace must hold is not the chart's to ship. internal/render/README.md
// lists every rule with the reason; TestChartRuleTableIsDocumented keeps
// the two in step.
var chartRules = map[string]chartRule{
	"K8S-000": {Why: "rendered text that is not YAML is HELM-000's, at the template line"},
	"K8S-022": {Applies: true, OnlyWith: "ResourceQuota", Why: "the namespace's quota belongs to whoever owns the namespace; a quota the chart ships is judged"},
}

// judgesChart reports whether a finding of a Kubernetes rule stands on a
// render whose objects are objs.
func judgesChart(rule string, objs []manifest.Object) bool {
	r, ok := chartRules[rule]
	if !ok {
		return true
	}
	return r.Applies && (r.OnlyWith == "" || slices.ContainsFunc(objs, func(o manifest.Object) bool { return o.Kind == r.OnlyWith }))
}

// kubernetesFindings runs the Kubernetes lab's rules on each render of the
// chart and returns their findings under the helm lab, with their K8S ids,
// at template lines, and the student's waivers for them at those lines. A
// finding the ci values repeat at the same place as the defaults is
// reported once; one only a ci values file causes says so.
func (rc renderedChart) kubernetesFindings(ctx context.Context, eng *engine.Engine) ([]finding.Finding, []Waiver, error) {
	type judged struct {
		fs []finding.Finding
		ws []Waiver
	}
	per := make([]judged, len(rc.Renders))
	errs := make([]error, len(rc.Renders))
	var wg sync.WaitGroup
	for i, r := range rc.Renders {
		if !r.Rendered() {
			continue
		}
		wg.Go(func() { per[i].fs, per[i].ws, errs[i] = rc.kubernetesOn(ctx, eng, r) })
	}
	wg.Wait()
	var out []finding.Finding
	var waivers []Waiver
	type place struct {
		rule, file string
		line       int
	}
	seen := map[place]bool{}
	for i, j := range per {
		if errs[i] != nil {
			return nil, nil, fmt.Errorf("kubernetes rules on chart %s rendered with %s: %w", rc.Dir, rc.Renders[i].Values, errs[i])
		}
		for _, f := range j.fs {
			at := place{f.Rule, f.File, f.Line}
			if seen[at] {
				continue
			}
			seen[at] = true
			if i > 0 {
				f.Message += fmt.Sprintf(" (with %s)", rc.Renders[i].Values)
			}
			out = append(out, f)
		}
		waivers = append(waivers, j.ws...)
	}
	return out, waivers, nil
}

// kubernetesOn evaluates one render. Waivers (the labcheck.dev/ignore
// annotation) are written at rendered lines; each finding they cover gets
// a waiver at the template line it moves to, which check.Trees applies
// with every other waiver.
func (rc renderedChart) kubernetesOn(ctx context.Context, eng *engine.Engine, r renderedValues) ([]finding.Finding, []Waiver, error) {
	fs, err := eng.Evaluate(ctx, finding.Kubernetes, kubernetesObjectsInput(asInstalled(r.Objects), nil, rc.Dir))
	if err != nil {
		return nil, nil, err
	}
	fs = slices.DeleteFunc(fs, func(f finding.Finding) bool { return f.File == "" || !judgesChart(f.Rule, r.Objects) })
	rendered := kubernetesWaivers(r.Objects)
	var ws []Waiver
	for i := range fs {
		w, waived := waiverAt(rendered, fs[i])
		fs[i].Lab = finding.Helm
		rc.toTemplate(r, &fs[i])
		if waived {
			ws = append(ws, Waiver{Rule: fs[i].Rule, File: fs[i].File, Line: fs[i].Line, Reason: w.Reason})
		}
	}
	return finding.Sort(fs), ws, nil
}

// waiverAt finds the waiver, if any, that covers a finding where it is.
func waiverAt(ws []Waiver, f finding.Finding) (Waiver, bool) {
	for _, w := range ws {
		if w.covers(f) {
			return w, true
		}
	}
	return Waiver{}, false
}

// asInstalled is a render's objects as `helm install --namespace minio
// --create-namespace` (the dynamic phase's install) creates them: objects
// that name no namespace land in the release's, and that namespace exists
// even if the chart does not create it. The Namespace stand-in has no
// file, and findings about it are dropped. The objects are copies: the
// render's own stay as written.
func asInstalled(objs []manifest.Object) []manifest.Object {
	out := make([]manifest.Object, 0, len(objs)+1)
	created := false
	for _, o := range objs {
		if o.Namespace == "" && !k8skinds.ClusterScoped(o.Kind) {
			o.Namespace = render.Namespace
		}
		created = created || o.Kind == "Namespace" && o.Name == render.Namespace
		out = append(out, o)
	}
	if created {
		return out
	}
	return append(out, manifest.Object{
		APIVersion: "v1", Kind: "Namespace", Name: render.Namespace,
		Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": render.Namespace}},
		Lines:  map[string]int{},
	})
}

// toTemplate moves a finding from a line of a template's rendered text to
// the template line that wrote it. The finding's line is the line of a
// field (spec.replicas); if no template line matches that line (see
// render.Manifest.SourceLine), the lines of the field's parents are tried,
// nearest first (spec.template.spec.containers[0].resources for a limit
// that toYaml wrote), then the object's first line. When none matches,
// the finding points at line 1 and its message gives the rendered line.
func (rc renderedChart) toTemplate(r renderedValues, f *finding.Finding) {
	for _, m := range r.Manifests {
		if path.Join(rc.Dir, m.Template) != f.File {
			continue
		}
		for _, l := range candidateLines(r.Objects, f.File, f.Line) {
			if line, ok := m.SourceLine(l); ok {
				f.Line = line
				return
			}
		}
		f.Message += fmt.Sprintf(" (at line %d of what %s renders; no template line matches it)", f.Line, m.Template)
		f.Line = 1
		return
	}
}

// candidateLines are the rendered line itself, then the lines of the
// parents of the deepest field on it, then the object's first line.
func candidateLines(objs []manifest.Object, file string, line int) []int {
	out := []int{line}
	var obj *manifest.Object
	best := ""
	for i := range objs {
		o := &objs[i]
		if o.File != file {
			continue
		}
		for p, l := range o.Lines {
			if l == line && (len(p) > len(best) || len(p) == len(best) && p < best) {
				obj, best = o, p
			}
		}
		if obj == nil && o.Line == line {
			obj = o
		}
	}
	if obj == nil {
		return out
	}
	for p := parentPath(best); p != ""; p = parentPath(p) {
		if l, ok := obj.Lines[p]; ok && l != out[len(out)-1] {
			out = append(out, l)
		}
	}
	return append(out, obj.Line)
}

// parentPath is the field path one level up (manifest.Path's syntax):
// spec.containers[0] for spec.containers[0].image, metadata.labels for
// metadata.labels["app.kubernetes.io/name"], "" for a top-level key.
func parentPath(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndex(p, "["); i > 0 {
			return p[:i]
		}
		return ""
	}
	if i := strings.LastIndex(p, "."); i >= 0 {
		return p[:i]
	}
	return ""
}
