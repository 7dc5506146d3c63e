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
	"github.com/labcheck/labcheck/internal/parse/manifest"
	"github.com/labcheck/labcheck/internal/render"
)

// kubernetesFindings runs the Kubernetes lab's rules on each render of the
// chart and returns their findings under the helm lab, with their K8S ids,
// at template lines. A finding the ci values repeat at the same place as
// the defaults is reported once; one only a ci values file causes says so.
func (rc renderedChart) kubernetesFindings(ctx context.Context, eng *engine.Engine) ([]finding.Finding, error) {
	if eng == nil {
		return nil, nil
	}
	per := make([][]finding.Finding, len(rc.Renders))
	errs := make([]error, len(rc.Renders))
	var wg sync.WaitGroup
	for i, r := range rc.Renders {
		if !r.Rendered() {
			continue
		}
		wg.Go(func() { per[i], errs[i] = rc.kubernetesOn(ctx, eng, r) })
	}
	wg.Wait()
	var out []finding.Finding
	type place struct {
		rule, file string
		line       int
	}
	seen := map[place]bool{}
	for i, fs := range per {
		if errs[i] != nil {
			return nil, fmt.Errorf("kubernetes rules on chart %s rendered with %s: %w", rc.Dir, rc.Renders[i].Values, errs[i])
		}
		for _, f := range fs {
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
	}
	return out, nil
}

// kubernetesOn evaluates one render. Waivers (the labcheck.dev/ignore
// annotation) are applied at the rendered lines, before findings move to
// template lines.
func (rc renderedChart) kubernetesOn(ctx context.Context, eng *engine.Engine, r renderedValues) ([]finding.Finding, error) {
	fs, err := eng.Evaluate(ctx, finding.Kubernetes, kubernetesObjectsInput(asInstalled(r.Objects), nil, rc.Dir))
	if err != nil {
		return nil, err
	}
	fs = slices.DeleteFunc(fs, func(f finding.Finding) bool { return f.File == "" })
	fs = applyWaivers(fs, kubernetesWaivers(r.Objects))
	for i := range fs {
		fs[i].Lab = finding.Helm
		rc.toTemplate(r, &fs[i])
	}
	return finding.Sort(fs), nil
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
		if o.Namespace == "" && !clusterScoped[o.Kind] {
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

// clusterScoped are the built-in kinds that live in no namespace.
var clusterScoped = map[string]bool{
	"Namespace": true, "Node": true, "PersistentVolume": true, "StorageClass": true, "CSIDriver": true,
	"ClusterRole": true, "ClusterRoleBinding": true, "CustomResourceDefinition": true, "PriorityClass": true,
	"IngressClass": true, "RuntimeClass": true, "ValidatingWebhookConfiguration": true,
	"MutatingWebhookConfiguration": true, "APIService": true, "VolumeAttachment": true,
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
