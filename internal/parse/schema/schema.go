package schema

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/agnivade/levenshtein"
	sigsjson "sigs.k8s.io/json"

	"github.com/labcheck/labcheck/internal/parse/manifest"
)

// Error is one way an object breaks the API schema.
type Error struct {
	Path    string `json:"path"` // field path as manifest.Path writes it; "" for the object itself
	Line    int    `json:"line"` // the line of the field, or of its nearest parent that has one
	Message string `json:"message"`
}

// Validate checks an object against the k8s.io/api type of its apiVersion
// and kind. Objects of kinds it does not know yield nothing. Errors are in
// path order.
func Validate(obj manifest.Object) []Error {
	v := &validation{obj: obj}
	switch {
	case obj.APIVersion == "" && obj.Kind == "":
		v.add("", "the document has no apiVersion and no kind; the API server cannot tell what it is")
	case obj.APIVersion == "":
		v.add("kind", fmt.Sprintf("%s has no apiVersion; write apiVersion: %s", obj.Kind, orDefault(served[obj.Kind], "<group>/<version>")))
	case obj.Kind == "":
		v.add("apiVersion", "the document has no kind")
	default:
		v.typed()
	}
	slices.SortStableFunc(v.errs, func(a, b Error) int { return a.Line - b.Line })
	return v.errs
}

type validation struct {
	obj  manifest.Object
	errs []Error
}

func (v *validation) add(path, msg string) {
	v.errs = append(v.errs, Error{Path: path, Line: Line(v.obj, path), Message: msg})
}

// require reports a missing required field, unless a value of the wrong
// type at that path (or above it) was reported already: one cause, one error.
func (v *validation) require(path, msg string) {
	for _, e := range v.errs {
		if e.Path != "" && (e.Path == path || strings.HasPrefix(path, e.Path+".") || strings.HasPrefix(path, e.Path+"[")) {
			return
		}
	}
	v.add(path, msg)
}

// typed decodes the object strictly into its Go type, reports what the
// decoder rejects, then checks the fields the API server requires.
func (v *validation) typed() {
	newT, ok := types[typeKey{v.obj.APIVersion, v.obj.Kind}]
	if !ok {
		v.unknownKind()
		return
	}
	data, err := json.Marshal(v.obj.Object)
	if err != nil {
		v.add("", fmt.Sprintf("cannot be encoded for validation: %v", err))
		return
	}
	target := newT()
	strict, err := sigsjson.UnmarshalStrict(data, target)
	if err != nil {
		// The decoder stops at its first type error and then says nothing
		// about unknown fields: find every bad value, drop them, decode again.
		bad := wrongTypes(target, v.obj.Object)
		if len(bad) == 0 {
			v.add("", fmt.Sprintf("is not a valid %s: %v", v.obj.Kind, err))
			return
		}
		for _, b := range bad {
			v.add(b.path, b.message)
		}
		data, _ = json.Marshal(without(v.obj.Object, bad))
		target = newT()
		strict, err = sigsjson.UnmarshalStrict(data, target)
		if err != nil {
			return
		}
	}
	for _, e := range strict {
		v.strictError(target, e)
	}
	required(v, target)
}

// strictError reports an unknown (or duplicate) field at its own line, with
// the nearest known field name as a suggestion.
func (v *validation) strictError(target any, e error) {
	fe, ok := e.(sigsjson.FieldError)
	if !ok {
		v.add("", e.Error())
		return
	}
	parent, key, fields, ok := resolve(target, v.obj.Object, fe.FieldPath())
	if !ok {
		v.add("", e.Error())
		return
	}
	path := manifest.Path(parent, key)
	if strings.HasPrefix(e.Error(), "duplicate field") {
		v.add(path, fmt.Sprintf("field %s is set twice", path))
		return
	}
	msg := fmt.Sprintf("unknown field %s: %s has no field %q", path, parentLabel(parent), key)
	if s := suggest(key, fields); s != "" {
		msg = fmt.Sprintf("unknown field %s; did you mean %s?", path, s)
	}
	v.add(path, msg+" (kubectl apply rejects unknown fields)")
}

// unknownKind reports a kind or apiVersion that looks like a mistake for a
// known one; kinds of other groups (CRDs) and unlisted kinds pass.
func (v *validation) unknownKind() {
	kind, apiVersion := v.obj.Kind, v.obj.APIVersion
	if cur, ok := served[kind]; ok {
		v.add("apiVersion", fmt.Sprintf("%s is served as apiVersion %s, not %s (removed or misspelt)", kind, cur, apiVersion))
		return
	}
	group, _, _ := strings.Cut(apiVersion, "/")
	if !strings.Contains(apiVersion, "/") {
		group = ""
	}
	if !groups[group] {
		return
	}
	names := make([]string, 0, len(served))
	for k := range served {
		names = append(names, k)
	}
	if s := suggest(kind, names); s != "" {
		v.add("kind", fmt.Sprintf("unknown kind %s; did you mean %s (apiVersion %s)?", kind, s, served[s]))
	}
}

// suggest returns the name closest to key when it is close enough to be a
// typo: the same letters in another case, or a few edits away.
func suggest(key string, names []string) string {
	best, bestD := "", 0
	slices.Sort(names)
	for _, n := range names {
		if strings.EqualFold(n, key) {
			return n
		}
		d := levenshtein.ComputeDistance(strings.ToLower(key), strings.ToLower(n))
		if d <= max(1, len(key)/4) && (best == "" || d < bestD) {
			best, bestD = n, d
		}
	}
	return best
}

func parentLabel(parent string) string {
	if parent == "" {
		return "the object"
	}
	return parent
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Line is the line of path in obj, or of its nearest parent that has one,
// or the object's own line.
func Line(obj manifest.Object, path string) int {
	for p := path; p != ""; p = parentPath(p) {
		if l, ok := obj.Lines[p]; ok {
			return l
		}
	}
	return obj.Line
}

// parentPath drops the last segment of a manifest.Path.
func parentPath(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndex(p, "["); i >= 0 {
			// a quoted key may itself hold "[": find the bracket that opens it
			if j := strings.LastIndex(p, `["`); j >= 0 && strings.HasSuffix(p, `"]`) {
				i = j
			}
			return p[:i]
		}
	}
	if i := strings.LastIndex(p, "."); i >= 0 {
		return p[:i]
	}
	return ""
}
