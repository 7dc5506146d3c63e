package deploy

import (
	"encoding/json"
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/labcheck/labcheck/internal/parse/manifest"
)

// Object is one manifest to deploy, with the file and lines it came from
// so that whatever goes wrong with it is reported where the student can
// fix it.
type Object struct {
	*unstructured.Unstructured
	File  string
	Line  int
	lines map[string]int
}

// Note is something the dynamic phase found or changed about an object,
// at a line of the submission.
type Note struct {
	File    string
	Line    int
	Message string
}

// FromManifests converts parsed manifests. Documents without apiVersion or
// kind are not objects and are left out.
func FromManifests(ms []manifest.Object) ([]*Object, error) {
	var out []*Object
	for _, m := range ms {
		if m.APIVersion == "" || m.Kind == "" {
			continue
		}
		o, err := NewObject(m.File, m.Line, m.Lines, m.Object)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// NewObject makes an Object of a decoded document. The document goes
// through JSON so that numbers have the types Kubernetes' libraries expect.
func NewObject(file string, line int, lines map[string]int, doc map[string]any) (*Object, error) {
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("%s:%d: %w", file, line, err)
	}
	u := &unstructured.Unstructured{}
	if err := u.UnmarshalJSON(data); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", file, line, err)
	}
	return &Object{Unstructured: u, File: file, Line: line, lines: lines}, nil
}

// At returns the line of a field path (manifest.Path syntax), or of the
// nearest enclosing field that has one, or of the object.
func (o *Object) At(path string) int {
	for p := path; p != ""; p = parent(p) {
		if l, ok := o.lines[p]; ok {
			return l
		}
	}
	return o.Line
}

// parent strips the last element of a field path.
func parent(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		switch p[i] {
		case '.':
			return p[:i]
		case '[':
			return p[:i]
		}
	}
	return ""
}

// String names the object as messages do: StatefulSet minio/minio.
func (o *Object) String() string {
	if ns := o.GetNamespace(); ns != "" {
		return o.GetKind() + " " + ns + "/" + o.GetName()
	}
	return o.GetKind() + " " + o.GetName()
}

func (o *Object) note(path, format string, args ...any) Note {
	return Note{File: o.File, Line: o.At(path), Message: o.String() + ": " + fmt.Sprintf(format, args...)}
}

// podSpecPath is where a workload kind keeps its pod spec.
func podSpecPath(kind string) []string {
	switch kind {
	case "Pod":
		return []string{"spec"}
	case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job":
		return []string{"spec", "template", "spec"}
	case "CronJob":
		return []string{"spec", "jobTemplate", "spec", "template", "spec"}
	}
	return nil
}

func joinPath(fields []string) string {
	p := ""
	for _, f := range fields {
		p = manifest.Path(p, f)
	}
	return p
}

// containerLists are the pod spec fields that hold containers.
var containerLists = []string{"initContainers", "containers", "ephemeralContainers"}

// container is one container of a pod spec, with its field path.
type container struct {
	path string
	m    map[string]any
}

// containers returns every container of an object's pod spec.
func (o *Object) containers() []container {
	sp := podSpecPath(o.GetKind())
	if sp == nil {
		return nil
	}
	var out []container
	for _, list := range containerLists {
		items, _, _ := unstructured.NestedSlice(o.Object, append(append([]string{}, sp...), list)...)
		for i, it := range items {
			if m, ok := it.(map[string]any); ok {
				out = append(out, container{path: fmt.Sprintf("%s[%d]", joinPath(append(append([]string{}, sp...), list)), i), m: m})
			}
		}
	}
	return out
}

// setContainers writes containers changed in place back into the object
// (NestedSlice returns copies).
func (o *Object) editContainers(edit func(c container) bool) {
	sp := podSpecPath(o.GetKind())
	if sp == nil {
		return
	}
	for _, list := range containerLists {
		fields := append(append([]string{}, sp...), list)
		items, ok, _ := unstructured.NestedSlice(o.Object, fields...)
		if !ok {
			continue
		}
		changed := false
		for i, it := range items {
			if m, ok := it.(map[string]any); ok {
				if edit(container{path: fmt.Sprintf("%s[%d]", joinPath(fields), i), m: m}) {
					items[i] = m
					changed = true
				}
			}
		}
		if changed {
			_ = unstructured.SetNestedSlice(o.Object, items, fields...)
		}
	}
}
