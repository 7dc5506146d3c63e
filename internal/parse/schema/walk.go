package schema

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	sigsjson "sigs.k8s.io/json"

	"github.com/labcheck/labcheck/internal/parse/manifest"
)

// badValue is a value that does not decode into the Go type of its field.
type badValue struct {
	segs    []any // map keys (string) and list indexes (int) from the root
	path    string
	message string
}

// wrongTypes walks the object alongside the Go type the decoder fills and
// returns every value of the wrong type, with its own path. The decoder
// itself reports only the first, and without list indexes.
func wrongTypes(target any, obj map[string]any) []badValue {
	w := &typeWalker{}
	w.walk(reflect.TypeOf(target).Elem(), obj, nil, "")
	return w.bad
}

type typeWalker struct {
	bad []badValue
}

var unmarshaler = reflect.TypeFor[json.Unmarshaler]()

func (w *typeWalker) walk(t reflect.Type, v any, segs []any, path string) {
	if v == nil || len(w.bad) >= 100 {
		return
	}
	if reflect.PointerTo(t).Implements(unmarshaler) {
		w.leaf(t, v, segs, path)
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		w.walk(t.Elem(), v, segs, path)
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			w.mismatch(t, v, segs, path)
			return
		}
		fields := fieldsOf(t)
		for _, k := range sortedKeys(m) {
			if ft, ok := fields[k]; ok {
				w.walk(ft, m[k], append(slices.Clip(segs), k), manifest.Path(path, k))
			}
		}
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			w.mismatch(t, v, segs, path)
			return
		}
		for _, k := range sortedKeys(m) {
			w.walk(t.Elem(), m[k], append(slices.Clip(segs), k), manifest.Path(path, k))
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			w.leaf(t, v, segs, path)
			return
		}
		l, ok := v.([]any)
		if !ok {
			w.mismatch(t, v, segs, path)
			return
		}
		for i, item := range l {
			w.walk(t.Elem(), item, append(slices.Clip(segs), i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Interface:
	default:
		w.leaf(t, v, segs, path)
	}
}

// leaf decodes one value on its own, exactly as the full decode would.
func (w *typeWalker) leaf(t reflect.Type, v any, segs []any, path string) {
	data, err := json.Marshal(v)
	if err == nil {
		err = sigsjson.UnmarshalCaseSensitivePreserveInts(data, reflect.New(t).Interface())
	}
	if err != nil {
		w.mismatch(t, v, segs, path)
	}
}

func (w *typeWalker) mismatch(t reflect.Type, v any, segs []any, path string) {
	msg := fmt.Sprintf("%s must be %s, not %s", path, expected(t), describe(v))
	if s, ok := v.(string); ok && isNumeric(t) {
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			msg += "; remove the quotes"
		}
	}
	w.bad = append(w.bad, badValue{segs: segs, path: path, message: msg})
}

func isNumeric(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

var (
	quantityType = reflect.TypeFor[resource.Quantity]()
	intOrString  = reflect.TypeFor[intstr.IntOrString]()
	timeType     = reflect.TypeFor[metav1.Time]()
)

// expected says in words what a Go type accepts.
func expected(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == quantityType:
		return "a quantity such as 500m, 2 or 1Gi"
	case t == intOrString:
		return "a number or a name"
	case t == timeType:
		return "an RFC 3339 timestamp"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Struct, reflect.Map:
		return "a mapping of fields"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "a base64 string"
		}
		return "a list"
	}
	return "a " + t.String()
}

// describe says in words what a decoded YAML value is.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("the string %q", x)
	case bool:
		return strconv.FormatBool(x)
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	}
	return fmt.Sprintf("the number %v", v)
}

// fieldsOf maps the JSON names of a struct's fields, embedded structs
// flattened as encoding/json does, to their types.
func fieldsOf(t reflect.Type) map[string]reflect.Type {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-", !f.IsExported() && !f.Anonymous:
			continue
		case f.Anonymous && name == "":
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range fieldsOf(ft) {
					if _, set := out[k]; !set {
						out[k] = v
					}
				}
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	fieldCache.Store(t, out)
	return out
}

var fieldCache sync.Map // reflect.Type -> map[string]reflect.Type

func fieldNames(t reflect.Type) []string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	names := make([]string, 0)
	for k := range fieldsOf(t) {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// resolve turns the decoder's path of an unknown field (keys joined with
// dots, even keys that hold dots) into the manifest.Path of its parent and
// the key itself, matching keys against the object. It also returns the
// field names the parent's type does have.
func resolve(target any, obj map[string]any, strictPath string) (parent, key string, fields []string, ok bool) {
	t := reflect.TypeOf(target).Elem()
	var v any = obj
	p := strictPath
	for p != "" {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if rest, isIndex := strings.CutPrefix(p, "["); isIndex {
			end := strings.Index(rest, "]")
			l, isList := v.([]any)
			i, err := strconv.Atoi(rest[:max(end, 0)])
			if end < 0 || !isList || err != nil || i < 0 || i >= len(l) {
				return "", "", nil, false
			}
			parent, v, p = fmt.Sprintf("%s[%d]", parent, i), l[i], rest[end+1:]
			t = elemType(t)
			continue
		}
		p = strings.TrimPrefix(p, ".")
		m, isMap := v.(map[string]any)
		if !isMap {
			return "", "", nil, false
		}
		k := longestKey(m, p)
		if k == "" {
			return "", "", nil, false
		}
		if k == p {
			return parent, k, fieldNames(t), true
		}
		parent, v, p = manifest.Path(parent, k), m[k], p[len(k):]
		t = childType(t, k)
	}
	return "", "", nil, false
}

func longestKey(m map[string]any, p string) string {
	best := ""
	for k := range m {
		if (p == k || strings.HasPrefix(p, k+".") || strings.HasPrefix(p, k+"[")) && len(k) > len(best) {
			best = k
		}
	}
	return best
}

func childType(t reflect.Type, key string) reflect.Type {
	switch {
	case t == nil:
		return nil
	case t.Kind() == reflect.Struct:
		return fieldsOf(t)[key]
	case t.Kind() == reflect.Map:
		return t.Elem()
	}
	return nil
}

func elemType(t reflect.Type) reflect.Type {
	if t != nil && t.Kind() == reflect.Slice {
		return t.Elem()
	}
	return nil
}

// without returns a deep copy of obj with the bad values removed.
func without(obj map[string]any, bad []badValue) map[string]any {
	out := deepCopy(obj).(map[string]any)
	for _, b := range bad {
		remove(out, b.segs)
	}
	return out
}

func remove(v any, segs []any) {
	for i, s := range segs {
		last := i == len(segs)-1
		switch c := v.(type) {
		case map[string]any:
			k, _ := s.(string)
			if last {
				delete(c, k)
				return
			}
			v = c[k]
		case []any:
			n, _ := s.(int)
			if n < 0 || n >= len(c) {
				return
			}
			if last {
				c[n] = nil
				return
			}
			v = c[n]
		default:
			return
		}
	}
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
