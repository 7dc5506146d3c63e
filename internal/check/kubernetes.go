package check

import (
	"context"
	"regexp"
	"strings"

	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/parse/manifest"
	"github.com/labcheck/labcheck/internal/parse/schema"
)

// kubernetesLab is the Kubernetes lab's policy input. It is submission-wide,
// so that a policy can judge one object against all the others:
//
//	{
//	  "objects": [{                  // every YAML document of the lab, in path then document order
//	    "file": "labs/kubernetes/sts.yaml", "doc": 0, "line": 1,
//	    "apiVersion": "apps/v1", "kind": "StatefulSet",
//	    "name": "minio", "namespace": "minio",  // namespace as written; "" when absent
//	    "object": {...}                          // the document as plain JSON values
//	  }],
//	  "problems": [{"file", "line", "message"}],                              // unreadable files and documents: K8S-000
//	  "schema_errors": [{"file", "line", "kind", "name", "path", "message"}], // k8s.io/api schema violations: K8S-001
//	  "expected": {"dir": "labs/kubernetes"}                                  // where the manifests were expected
//	}
//
// Policies look a field's line up with data.labcheck.lib.k8s.line(obj,
// path), paths written as manifest.Path writes them
// (spec.template.spec.containers[0].resources, metadata.labels["app.kubernetes.io/name"]),
// which falls back to the nearest parent that has a line, then to the
// object's. The lines are not in the input: the builtin labcheck.lines
// gives an object's lines (FieldLines), so that the objects policies
// compare and copy stay small.
type kubernetesLab struct {
	Objects      []manifest.Object `json:"objects"`
	Problems     []Problem         `json:"problems"`
	SchemaErrors []schemaError     `json:"schema_errors"`
	Expected     expectedDir       `json:"expected"`
	lines        fieldLines
}

// expectedDir is where a lab's files were expected, for absence findings.
type expectedDir struct {
	Dir string `json:"dir"`
}

// schemaError is a schema violation (k8s.io/api or istio.io/api) with the
// object it was found in.
type schemaError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	Path    string `json:"path"`
	Message string `json:"message"`
}

func kubernetesInput(_ context.Context, s *submission) (labInput, error) {
	p := s.manifests(finding.Kubernetes)
	expected := ""
	if len(s.trees) > 0 {
		expected = s.trees[0].Expected(finding.Kubernetes, "")
	}
	in := kubernetesObjectsInput(p.Objects, p.Problems, expected).(kubernetesLab)
	in.Problems = append(problemsOf(s.trees, finding.Kubernetes), in.Problems...)
	submitted := len(in.Objects) > 0 || len(in.Problems) > 0
	return labInput{input: in, submitted: submitted, waivers: kubernetesWaivers(p.Objects)}, nil
}

// kubernetesObjectsInput assembles the Kubernetes lab's policy input from parsed objects.
func kubernetesObjectsInput(objs []manifest.Object, probs []manifest.Problem, dir string) any {
	in := kubernetesLab{
		Objects:      objs,
		Problems:     make([]Problem, 0, len(probs)),
		SchemaErrors: []schemaError{},
		Expected:     expectedDir{Dir: dir},
	}
	if in.Objects == nil {
		in.Objects = []manifest.Object{}
	}
	in.lines = linesOf(in.Objects)
	for _, p := range probs {
		in.Problems = append(in.Problems, Problem{File: p.File, Line: p.Line, Message: p.Message})
	}
	for _, o := range objs {
		for _, e := range schema.Validate(o) {
			in.SchemaErrors = append(in.SchemaErrors, schemaError{File: o.File, Line: e.Line, Kind: o.Kind, Name: o.Name, Path: e.Path, Message: e.Message})
		}
	}
	return in
}

// ignoreAnnotation waives rules for one object: "K8S-011=reason" entries,
// separated by commas or semicolons.
const ignoreAnnotation = "labcheck.dev/ignore"

var ruleID = regexp.MustCompile(`\b(?:DOCKER|K8S|HELM|ISTIO|DYN)-[0-9]{3}\b`)

// kubernetesWaivers turns each object's labcheck.dev/ignore annotation into
// waivers for the lines that object spans.
func kubernetesWaivers(objs []manifest.Object) []Waiver {
	var out []Waiver
	for _, o := range objs {
		md, _ := o.Object["metadata"].(map[string]any)
		ann, _ := md["annotations"].(map[string]any)
		text, _ := ann[ignoreAnnotation].(string)
		for _, w := range parseIgnore(text) {
			for _, line := range objectLines(o) {
				out = append(out, Waiver{Rule: w.Rule, File: o.File, Line: line, Reason: w.Reason})
			}
		}
	}
	return out
}

// parseIgnore reads "K8S-011=reason, K8S-012" (a reason may hold commas).
func parseIgnore(text string) []Waiver {
	locs := ruleID.FindAllStringIndex(text, -1)
	out := make([]Waiver, 0, len(locs))
	for i, l := range locs {
		end := len(text)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		reason := strings.TrimSpace(text[l[1]:end])
		reason = strings.TrimSpace(strings.TrimRight(strings.TrimPrefix(reason, "="), " ,;"))
		out = append(out, Waiver{Rule: text[l[0]:l[1]], Reason: reason})
	}
	return out
}

// objectLines are the distinct lines an object's fields sit on.
func objectLines(o manifest.Object) []int {
	seen := map[int]bool{o.Line: true}
	lines := []int{o.Line}
	for _, l := range o.Lines {
		if !seen[l] {
			seen[l] = true
			lines = append(lines, l)
		}
	}
	return lines
}
