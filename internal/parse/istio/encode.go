package istio

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/labcheck/labcheck/internal/parse/manifest"
)

// field is what the descriptors say about one field path of a spec.
type field struct {
	parent protoreflect.MessageDescriptor // the message the key belongs to; nil inside maps and free-form values
	fd     protoreflect.FieldDescriptor   // the field the key names; nil when the message has no such field
}

// doc is a spec written as JSON with one key or list item per line, so that
// the line of a protojson error names the field path it is about.
type doc struct {
	buf    bytes.Buffer
	line   int              // current JSON line, 1-based
	paths  map[int]string   // JSON line -> field path
	fields map[string]field // field path -> descriptors
	skip   map[string]bool  // paths left out: already reported
	probs  []problemAt      // descriptor findings (required fields, proto names)
	check  bool             // whether to collect probs on this pass
}

// problemAt is a finding before its line is known.
type problemAt struct {
	path, msg string
}

// encode writes spec (a value read from YAML) as JSON, walking root's
// descriptors alongside it.
func encode(spec map[string]any, root protoreflect.MessageDescriptor, skip map[string]bool, check bool) *doc {
	d := &doc{line: 1, paths: map[int]string{1: "spec"}, fields: map[string]field{}, skip: skip, check: check}
	d.message(spec, "spec", root)
	return d
}

func (d *doc) newline(path string) {
	d.buf.WriteByte('\n')
	d.line++
	d.paths[d.line] = path
}

// value writes v, which should be a value of fd (or of one element of it
// when elem is set). A nil fd means nothing is known about v.
func (d *doc) value(v any, path string, fd protoreflect.FieldDescriptor, elem bool) {
	switch {
	case fd == nil:
		d.free(v, path)
	case fd.IsList() && !elem:
		d.list(v, path, fd)
	case fd.IsMap() && !elem:
		d.mapField(v, path, fd)
	case fd.Message() != nil && fd.Message().FullName() == "google.protobuf.Duration":
		d.duration(v, path)
	case fd.Message() != nil && !wellKnown(fd.Message()):
		if m, ok := v.(map[string]any); ok {
			d.message(m, path, fd.Message())
			return
		}
		d.free(v, path)
	default:
		d.free(v, path)
	}
}

// duration writes a Duration the way Istio reads it: Istio's generated
// UnmarshalJSON (golang/protobuf's jsonpb) accepts Go durations such as
// "5m" or "1h30m", while protojson only takes seconds ("300s").
func (d *doc) duration(v any, path string) {
	s, ok := v.(string)
	if !ok {
		d.free(v, path)
		return
	}
	dur, err := time.ParseDuration(s)
	if err != nil {
		d.scalar(s)
		return
	}
	d.scalar(strconv.FormatFloat(dur.Seconds(), 'f', -1, 64) + "s")
}

func (d *doc) list(v any, path string, fd protoreflect.FieldDescriptor) {
	items, ok := v.([]any)
	if !ok {
		d.free(v, path)
		return
	}
	d.items(items, path, func(item any, p string) { d.value(item, p, fd, true) })
}

func (d *doc) mapField(v any, path string, fd protoreflect.FieldDescriptor) {
	m, ok := v.(map[string]any)
	if !ok {
		d.free(v, path)
		return
	}
	d.object(m, path, func(key, p string) { d.value(m[key], p, fd.MapValue(), false) })
}

// message writes an object that decodes into md, recording each key's field
// and, on the checking pass, what the descriptors alone can tell.
func (d *doc) message(m map[string]any, path string, md protoreflect.MessageDescriptor) {
	if d.check {
		d.checkMessage(m, path, md)
	}
	d.object(m, path, func(key, p string) {
		fd := lookup(md, key)
		d.fields[p] = field{parent: md, fd: fd}
		d.value(m[key], p, fd, false)
	})
}

func (d *doc) free(v any, path string) {
	switch x := v.(type) {
	case map[string]any:
		d.object(x, path, func(key, p string) { d.free(x[key], p) })
	case []any:
		d.items(x, path, func(item any, p string) { d.free(item, p) })
	default:
		d.scalar(x)
	}
}

func (d *doc) object(m map[string]any, path string, each func(key, path string)) {
	d.buf.WriteByte('{')
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	n := 0
	for _, k := range keys {
		p := manifest.Path(path, k)
		if d.skip[p] {
			continue
		}
		if n > 0 {
			d.buf.WriteByte(',')
		}
		n++
		d.newline(p)
		d.scalar(k)
		d.buf.WriteString(": ")
		each(k, p)
	}
	if n > 0 {
		d.newline(path)
	}
	d.buf.WriteByte('}')
}

func (d *doc) items(items []any, path string, each func(item any, path string)) {
	d.buf.WriteByte('[')
	n := 0
	for i, item := range items {
		p := path + "[" + strconv.Itoa(i) + "]"
		if d.skip[p] {
			continue
		}
		if n > 0 {
			d.buf.WriteByte(',')
		}
		n++
		d.newline(p)
		each(item, p)
	}
	if n > 0 {
		d.newline(path)
	}
	d.buf.WriteByte(']')
}

func (d *doc) scalar(v any) {
	switch x := v.(type) {
	case float64:
		switch {
		case math.IsNaN(x):
			d.buf.WriteString(`"NaN"`)
			return
		case math.IsInf(x, 1):
			d.buf.WriteString(`"Infinity"`)
			return
		case math.IsInf(x, -1):
			d.buf.WriteString(`"-Infinity"`)
			return
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(strings.TrimSpace(strings.ReplaceAll(err.Error(), "\n", " ")))
	}
	d.buf.Write(b)
}

// lookup finds the field a JSON key names: its JSON name, or the proto name
// protojson also accepts.
func lookup(md protoreflect.MessageDescriptor, key string) protoreflect.FieldDescriptor {
	if fd := md.Fields().ByJSONName(key); fd != nil {
		return fd
	}
	return md.Fields().ByTextName(key)
}

// wellKnown messages (Duration, wrappers, Struct…) have their own JSON form:
// a string, a scalar or any value.
func wellKnown(md protoreflect.MessageDescriptor) bool {
	return md.ParentFile().Package() == "google.protobuf"
}
