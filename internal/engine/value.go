package engine

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Value is the Rego value of an input: what encoding/json would marshal
// it to, read back as OPA reads JSON input, built without the JSON in
// between. For a large submission the round trip through JSON was a sixth
// of a check's CPU. Struct fields follow their json tags (a name, "-",
// omitempty); what this does not convert itself (a type with its own
// MarshalJSON or MarshalText, embedded structs, the ",string" and
// "omitzero" options, maps not keyed by strings, []byte) goes through
// encoding/json, so the result is always the JSON's.
func Value(input any) (ast.Value, error) {
	return toValue(reflect.ValueOf(input))
}

var (
	anyMap     = reflect.TypeFor[map[string]any]()
	anyList    = reflect.TypeFor[[]any]()
	jsonNumber = reflect.TypeFor[json.Number]()
)

func toValue(v reflect.Value) (ast.Value, error) {
	if !v.IsValid() {
		return ast.NullValue, nil
	}
	t := v.Type()
	switch {
	case t == jsonNumber:
		return ast.InterfaceToValue(json.Number(v.String())) // as OPA reads a JSON number
	case t.PkgPath() != "" && ownEncoding(t): // only named types have methods of their own
		return jsonValue(v.Interface())
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ast.NullValue, nil
		}
		return toValue(v.Elem())
	case reflect.String:
		return ast.String(validUTF8(v.String())), nil
	case reflect.Bool:
		return ast.Boolean(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return ast.Number(strconv.FormatInt(v.Int(), 10)), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return ast.Number(strconv.FormatUint(v.Uint(), 10)), nil
	case reflect.Float32, reflect.Float64:
		return jsonValue(v.Interface()) // encoding/json's own number format
	case reflect.Slice:
		if v.IsNil() {
			return ast.NullValue, nil
		}
		if t == anyList { // parsed YAML's lists, element by element
			return listValue(v.Interface().([]any))
		}
		if t.Elem().Kind() == reflect.Uint8 {
			return jsonValue(v.Interface()) // base64
		}
		fallthrough
	case reflect.Array:
		terms := make([]*ast.Term, v.Len())
		for i := range terms {
			ev, err := toValue(v.Index(i))
			if err != nil {
				return nil, err
			}
			terms[i] = ast.NewTerm(ev)
		}
		return ast.NewArray(terms...), nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String || t.Key() != reflect.TypeFor[string]() {
			return jsonValue(v.Interface())
		}
		if v.IsNil() {
			return ast.NullValue, nil
		}
		if t == anyMap { // parsed YAML's objects, without an iterator
			return mapValue(v.Interface().(map[string]any))
		}
		kvs := make([][2]*ast.Term, 0, v.Len())
		for it := v.MapRange(); it.Next(); {
			ev, err := toValue(it.Value())
			if err != nil {
				return nil, err
			}
			kvs = append(kvs, [2]*ast.Term{ast.StringTerm(validUTF8(it.Key().String())), ast.NewTerm(ev)})
		}
		return ast.NewObject(kvs...), nil
	case reflect.Struct:
		fields, ok := structFields(t)
		if !ok {
			return jsonValue(v.Interface())
		}
		kvs := make([][2]*ast.Term, 0, len(fields))
		for _, f := range fields {
			fv := v.Field(f.index)
			if f.omitEmpty && isEmpty(fv) {
				continue
			}
			ev, err := toValue(fv)
			if err != nil {
				return nil, err
			}
			kvs = append(kvs, [2]*ast.Term{ast.StringTerm(f.name), ast.NewTerm(ev)})
		}
		return ast.NewObject(kvs...), nil
	}
	return jsonValue(v.Interface()) // channels, functions: encoding/json's error
}

func mapValue(m map[string]any) (ast.Value, error) {
	kvs := make([][2]*ast.Term, 0, len(m))
	for k, e := range m {
		ev, err := toValue(reflect.ValueOf(e))
		if err != nil {
			return nil, err
		}
		kvs = append(kvs, [2]*ast.Term{ast.StringTerm(validUTF8(k)), ast.NewTerm(ev)})
	}
	return ast.NewObject(kvs...), nil
}

func listValue(l []any) (ast.Value, error) {
	terms := make([]*ast.Term, len(l))
	for i, e := range l {
		ev, err := toValue(reflect.ValueOf(e))
		if err != nil {
			return nil, err
		}
		terms[i] = ast.NewTerm(ev)
	}
	return ast.NewArray(terms...), nil
}

// jsonValue converts x through encoding/json, as OPA reads JSON input.
func jsonValue(x any) (ast.Value, error) {
	data, err := json.Marshal(x)
	if err != nil {
		return nil, err
	}
	return ast.ValueFromReader(strings.NewReader(string(data)))
}

// validUTF8 is s as encoding/json writes it: each byte that is not part
// of valid UTF-8 replaced by U+FFFD.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

var (
	marshaler     = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

var ownEncodings sync.Map // reflect.Type → bool

// ownEncoding reports whether t (or a pointer to it) decides its own
// JSON.
func ownEncoding(t reflect.Type) bool {
	if own, ok := ownEncodings.Load(t); ok {
		return own.(bool)
	}
	p := reflect.PointerTo(t)
	own := t.Implements(marshaler) || t.Implements(textMarshaler) || p.Implements(marshaler) || p.Implements(textMarshaler)
	ownEncodings.Store(t, own)
	return own
}

type field struct {
	name      string
	index     int
	omitEmpty bool
}

var fieldCache sync.Map // reflect.Type → []field, or nil when encoding/json must decide

// structFields lists the fields encoding/json writes for t, in order; ok
// is false when t has a field this conversion leaves to encoding/json.
func structFields(t reflect.Type) ([]field, bool) {
	if c, ok := fieldCache.Load(t); ok {
		fs := c.([]field)
		return fs, fs != nil
	}
	fs := []field{}
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if sf.Anonymous {
			fs = nil
			break
		}
		if !sf.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		f := field{name: name, index: i}
		for opt := range strings.SplitSeq(opts, ",") {
			switch opt {
			case "omitempty":
				f.omitEmpty = true
			case "string", "omitzero":
				f.name = ""
			}
		}
		if f.name == "" {
			fs = nil
			break
		}
		fs = append(fs, f)
	}
	fieldCache.Store(t, fs)
	return fs, fs != nil
}

// isEmpty is encoding/json's omitempty test.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}
