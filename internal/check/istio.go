package check

import (
	"context"
	"slices"
	"strings"

	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/parse/istio"
	"github.com/labcheck/labcheck/internal/parse/manifest"
	"github.com/labcheck/labcheck/internal/render"
)

// istioLab is the Istio lab's policy input. The mesh is judged against the
// whole submission, so it carries the other labs' objects too:
//
//	{
//	  "objects": [...],     // every document of the istio lab (Istio objects and the plain
//	                        // Kubernetes objects beside them), shaped as manifest.Object:
//	                        // {file, doc, line, apiVersion, kind, name, namespace, object}
//	  "kubernetes": [...],  // the kubernetes lab's documents, same shape
//	  "rendered": [...],    // the Helm charts' objects rendered with their default values, in
//	                        // the release namespace; file is the template, lines are lines of
//	                        // the rendered text, so they are for cross-references, not findings
//	  "problems": [{"file", "line", "message"}],                              // unreadable files: ISTIO-000
//	  "schema_errors": [{"file", "line", "kind", "name", "path", "message"}], // Istio API violations: ISTIO-001
//	  "expected": {"dir": "labs/istio"}                                       // where absent objects belong
//	}
//
// Policies find lines with data.labcheck.lib.istio.line(obj, path), paths
// written as manifest.Path writes them (spec.http[0].route[0].destination):
// the objects' field lines are not in the input, labcheck.lines gives them
// (FieldLines).
type istioLab struct {
	Objects      []manifest.Object `json:"objects"`
	Kubernetes   []manifest.Object `json:"kubernetes"`
	Rendered     []manifest.Object `json:"rendered"`
	Problems     []Problem         `json:"problems"`
	SchemaErrors []schemaError     `json:"schema_errors"`
	Expected     expectedDir       `json:"expected"`
	lines        fieldLines
}

func istioInput(ctx context.Context, s *submission) (labInput, error) {
	own := s.manifests(finding.Istio)
	in := istioLab{
		Objects:      nonNil(own.Objects),
		Kubernetes:   nonNil(s.manifests(finding.Kubernetes).Objects),
		Rendered:     renderedObjects(s.rendered(ctx)),
		Problems:     problemsOf(s.trees, finding.Istio),
		SchemaErrors: schemaErrors(own.Objects),
	}
	in.lines = linesOf(in.Objects, in.Kubernetes, in.Rendered)
	for _, p := range own.Problems {
		in.Problems = append(in.Problems, Problem{File: p.File, Line: p.Line, Message: p.Message})
	}
	if len(s.trees) > 0 {
		in.Expected.Dir = s.trees[0].Expected(finding.Istio, "")
	}
	// Plain Kubernetes objects beside no Istio object are not the lab
	// handed in: ISTIO-012 says so, and the lab is not submitted.
	submitted := slices.ContainsFunc(in.Objects, isIstio) || len(in.Problems) > 0
	return labInput{input: in, submitted: submitted, waivers: kubernetesWaivers(own.Objects)}, nil
}

// isIstio reports whether an object belongs to one of Istio's API groups.
func isIstio(o manifest.Object) bool {
	group, _, ok := strings.Cut(o.APIVersion, "/")
	return ok && slices.Contains(istio.Groups, group)
}

// schemaErrors validates each Istio object against Istio's API types.
func schemaErrors(objs []manifest.Object) []schemaError {
	out := []schemaError{}
	for _, o := range objs {
		for _, p := range istio.Validate(o) {
			out = append(out, schemaError{File: o.File, Line: p.Line, Kind: o.Kind, Name: o.Name, Path: p.Path, Message: p.Message})
		}
	}
	return out
}

// renderedObjects are the objects of each chart's default render, placed in
// the namespace the chart is installed in when they name none.
func renderedObjects(charts []renderedChart) []manifest.Object {
	out := []manifest.Object{}
	for _, rc := range charts {
		if len(rc.Renders) == 0 {
			continue
		}
		for _, o := range rc.Renders[0].Objects {
			if o.Namespace == "" {
				o.Namespace = render.Namespace
			}
			out = append(out, o)
		}
	}
	return out
}

func nonNil(objs []manifest.Object) []manifest.Object {
	if objs == nil {
		return []manifest.Object{}
	}
	return objs
}
