package istio

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/labcheck/labcheck/internal/parse/manifest"
)

// Problem is one way an object does not fit Istio's API, at a line.
type Problem struct {
	Path    string `json:"path"` // field path, as in manifest.Object.Lines
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// maxProblems bounds the decode-and-retry loop for one object.
const maxProblems = 32

// topLevel are the keys a custom resource may have.
var topLevel = []string{"apiVersion", "kind", "metadata", "spec", "status"}

// Validate checks one object of an Istio group: its kind and version, its
// top-level keys and metadata.name, and its spec against the kind's message.
// Objects of other groups have no problems here.
func Validate(o manifest.Object) []Problem {
	group, version, _ := strings.Cut(o.APIVersion, "/")
	ks, ok := kinds[group]
	if !ok {
		return nil
	}
	v := &validation{o: o}
	k, ok := ks[o.Kind]
	if !ok {
		v.add("kind", fmt.Sprintf("%s has no kind %q%s (kinds: %s)", group, o.Kind, suggest(o.Kind, kindNames(group)), strings.Join(kindNames(group), ", ")))
		return v.out
	}
	if !slices.Contains(k.versions, version) {
		v.add("apiVersion", fmt.Sprintf("%s is not served as %s; use %s/%s (versions: %s)", o.Kind, o.APIVersion, group, k.versions[0], strings.Join(k.versions, ", ")))
	}
	v.topLevel()
	v.metadata()
	switch spec := o.Object["spec"].(type) {
	case nil:
	case map[string]any:
		v.spec(spec, k)
	default:
		v.add("spec", fmt.Sprintf("spec must be an object of %s fields, not %s", o.Kind, describeValue(spec)))
	}
	return v.out
}

// validation collects one object's problems.
type validation struct {
	o   manifest.Object
	out []Problem
}

// add records a problem at path, or at the nearest parent with a line.
func (v *validation) add(path, msg string) {
	name := v.o.Name
	if name == "" {
		name = "(unnamed)"
	}
	v.out = append(v.out, Problem{Path: path, Line: v.line(path), Message: fmt.Sprintf("%s %s: %s", v.o.Kind, name, msg)})
}

func (v *validation) line(path string) int {
	for p := path; p != ""; p = parent(p) {
		if l, ok := v.o.Lines[p]; ok {
			return l
		}
	}
	return v.o.Line
}

var lastStep = regexp.MustCompile(`(\[[^\]]*\]|\.[A-Za-z0-9_-]+)$`)

// parent drops the last step of a field path: spec.a[0] -> spec.a -> spec.
func parent(path string) string {
	loc := lastStep.FindStringIndex(path)
	if loc == nil {
		return ""
	}
	return path[:loc[0]]
}

func (v *validation) topLevel() {
	keys := make([]string, 0, len(v.o.Object))
	for key := range v.o.Object {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	for _, key := range keys {
		if !slices.Contains(topLevel, key) {
			v.add(manifest.Path("", key), fmt.Sprintf("unknown top-level field %q%s (fields: %s)", key, suggest(key, topLevel), strings.Join(topLevel, ", ")))
		}
	}
}

func (v *validation) metadata() {
	md, ok := v.o.Object["metadata"].(map[string]any)
	if !ok {
		v.add("metadata", "metadata with a name is missing")
		return
	}
	if name, _ := md["name"].(string); name == "" {
		v.add("metadata", "metadata.name is missing")
	}
}

// spec decodes the spec with protojson until it succeeds, leaving out each
// field it rejected, so that every rejected field is reported once.
func (v *validation) spec(spec map[string]any, k kind) {
	md := k.descriptor()
	skip := map[string]bool{}
	for i := range maxProblems {
		d := encode(spec, md, skip, i == 0)
		for _, p := range d.probs {
			v.add(p.path, p.msg)
		}
		err := protojson.Unmarshal(d.buf.Bytes(), k.spec.ProtoReflect().New().Interface())
		if err == nil {
			return
		}
		line, text := position(err)
		path := d.paths[line]
		if line == 0 || path == "" || path == "spec" || skip[path] {
			v.add("spec", "spec does not decode into "+string(md.FullName())+": "+text)
			return
		}
		v.add(path, explain(d, path, text))
		skip[path] = true
	}
}

var errPosition = regexp.MustCompile(`\(line (\d+):\d+\): (.*)$`)

// position reads the JSON line and the message out of a protojson error,
// whose text starts with a prefix protobuf varies on purpose.
func position(err error) (int, string) {
	m := errPosition.FindStringSubmatch(err.Error())
	if m == nil {
		s := err.Error()
		if _, rest, ok := strings.Cut(s, ":"); ok && strings.HasPrefix(s, "proto") {
			s = strings.TrimSpace(rest)
		}
		return 0, s
	}
	n, _ := strconv.Atoi(m[1])
	return n, m[2]
}
