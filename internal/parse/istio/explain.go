package istio

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/agnivade/levenshtein"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/labcheck/labcheck/internal/parse/manifest"
)

// checkMessage reports what the descriptors tell without decoding: fields
// written under their proto name (protojson takes them, the API server's
// schema does not) and required fields that are missing.
func (d *doc) checkMessage(m map[string]any, path string, md protoreflect.MessageDescriptor) {
	for key := range m {
		fd := md.Fields().ByTextName(key)
		if fd != nil && md.Fields().ByJSONName(key) == nil && fd.JSONName() != key {
			d.probs = append(d.probs, problemAt{manifest.Path(path, key), fmt.Sprintf("%s is the protobuf name of the field; write %s (the API server knows only that name and would drop %s)", key, fd.JSONName(), key)})
		}
	}
	fields := md.Fields()
	for i := range fields.Len() {
		fd := fields.Get(i)
		if !required(fd) || fd.ContainingOneof() != nil {
			continue
		}
		if _, ok := m[fd.JSONName()]; ok {
			continue
		}
		if _, ok := m[fd.TextName()]; ok {
			continue
		}
		d.probs = append(d.probs, problemAt{path, fmt.Sprintf("%s.%s is required", path, fd.JSONName())})
	}
	slices.SortFunc(d.probs, func(a, b problemAt) int { return strings.Compare(a.path+a.msg, b.path+b.msg) })
}

// fieldBehavior is google.api.field_behavior, which Istio's protos use to
// mark required fields. It is looked up rather than imported: Istio's
// packages register it.
var fieldBehavior, _ = protoregistry.GlobalTypes.FindExtensionByName("google.api.field_behavior")

const behaviorRequired = 2 // google.api.FieldBehavior.REQUIRED

func required(fd protoreflect.FieldDescriptor) bool {
	if fieldBehavior == nil || fd.Options() == nil {
		return false
	}
	opts := fd.Options()
	if !proto.HasExtension(opts, fieldBehavior) {
		return false
	}
	list := opts.ProtoReflect().Get(fieldBehavior.TypeDescriptor())
	if !list.IsValid() {
		return false
	}
	l := list.List()
	for i := range l.Len() {
		if l.Get(i).Enum() == behaviorRequired {
			return true
		}
	}
	return false
}

var (
	reUnknown  = regexp.MustCompile(`^unknown field "?([^"]*)"?$`)
	reInvalid  = regexp.MustCompile(`^invalid value for (\S+) field \S+: (.*)$`)
	reBadKey   = regexp.MustCompile(`^invalid value for (\S+) key: (.*)$`)
	reToken    = regexp.MustCompile(`^unexpected token (.*)$`)
	reDuration = regexp.MustCompile(`^invalid google\.protobuf\.Duration value (.*)$`)
	reOneof    = regexp.MustCompile(`^error parsing (\S+), oneof (\S+) is already set$`)
	reDup      = regexp.MustCompile(`^duplicate field (.*)$`)
)

// explain turns protojson's message about the field at path into one that
// says what was written and what would have been valid.
func explain(d *doc, path, text string) string {
	fd, elem := d.fieldOf(path)
	switch {
	case reUnknown.MatchString(text):
		key := reUnknown.FindStringSubmatch(text)[1]
		return unknownField(d.fields[path].parent, path, key)
	case reInvalid.MatchString(text):
		m := reInvalid.FindStringSubmatch(text)
		if m[1] == "enum" && fd != nil && fd.Enum() != nil {
			return badEnum(fd.Enum(), path, m[2])
		}
		return fmt.Sprintf("%s must be %s, not %s", path, kindText(m[1]), m[2])
	case reBadKey.MatchString(text):
		m := reBadKey.FindStringSubmatch(text)
		return fmt.Sprintf("%s: key %s must be %s", parent(path), m[2], kindText(m[1]))
	case reToken.MatchString(text):
		return fmt.Sprintf("%s must be %s, not %s", path, expected(fd, elem), tokenText(reToken.FindStringSubmatch(text)[1]))
	case reDuration.MatchString(text):
		return fmt.Sprintf("%s must be a duration such as \"30s\", \"1.5s\" or \"5m\", not %s", path, reDuration.FindStringSubmatch(text)[1])
	case reOneof.MatchString(text):
		return oneofText(d.fields[path].parent, path, reOneof.FindStringSubmatch(text)[2])
	case reDup.MatchString(text):
		return fmt.Sprintf("%s is set twice (once under its protobuf name?)", path)
	}
	return path + ": " + text
}

var trailingIndex = regexp.MustCompile(`\[\d+\]$`)

// fieldOf finds the field a path's value belongs to; elem says the value is
// one item of a list field.
func (d *doc) fieldOf(path string) (protoreflect.FieldDescriptor, bool) {
	if f, ok := d.fields[path]; ok {
		return f.fd, false
	}
	if trailingIndex.MatchString(path) {
		if f, ok := d.fields[trailingIndex.ReplaceAllString(path, "")]; ok {
			return f.fd, true
		}
	}
	return nil, false
}

func unknownField(md protoreflect.MessageDescriptor, path, key string) string {
	if md == nil {
		return fmt.Sprintf("unknown field %s", path)
	}
	names := jsonNames(md)
	msg := fmt.Sprintf("unknown field %s: %s has no field %q%s", path, md.Name(), key, suggest(key, names))
	if len(names) <= 12 {
		msg += " (fields: " + strings.Join(names, ", ") + ")"
	}
	return msg
}

func jsonNames(md protoreflect.MessageDescriptor) []string {
	var out []string
	fields := md.Fields()
	for i := range fields.Len() {
		out = append(out, fields.Get(i).JSONName())
	}
	slices.Sort(out)
	return out
}

func badEnum(ed protoreflect.EnumDescriptor, path, got string) string {
	var names []string
	values := ed.Values()
	for i := range values.Len() {
		names = append(names, string(values.Get(i).Name()))
	}
	return fmt.Sprintf("%s %s is not a valid value%s (values: %s)", path, got, suggest(strings.Trim(got, `"`), names), strings.Join(names, ", "))
}

func oneofText(md protoreflect.MessageDescriptor, path, oneof string) string {
	if md == nil {
		return fmt.Sprintf("%s: only one field of %s may be set", path, oneof)
	}
	name := oneof[strings.LastIndex(oneof, ".")+1:]
	od := md.Oneofs().ByName(protoreflect.Name(name))
	if od == nil {
		return fmt.Sprintf("%s: only one field of %s may be set", path, oneof)
	}
	var names []string
	for i := range od.Fields().Len() {
		names = append(names, od.Fields().Get(i).JSONName())
	}
	return fmt.Sprintf("%s: only one of %s may be set in %s", path, strings.Join(names, ", "), parent(path))
}

// expected says in words what a field takes.
func expected(fd protoreflect.FieldDescriptor, elem bool) string {
	switch {
	case fd == nil:
		return "a valid value"
	case fd.IsList() && !elem:
		return "a list"
	case fd.IsMap():
		return "a map of key: value pairs"
	case fd.Message() != nil:
		switch fd.Message().FullName() {
		case "google.protobuf.Duration":
			return `a duration such as "30s"`
		case "google.protobuf.Struct":
			return "an object"
		}
		if wellKnown(fd.Message()) && fd.Message().Fields().Len() == 1 {
			return kindText(fd.Message().Fields().Get(0).Kind().String())
		}
		return "an object (" + string(fd.Message().Name()) + ")"
	case fd.Enum() != nil:
		return "one of " + strings.Join(enumNames(fd.Enum()), ", ")
	}
	return kindText(fd.Kind().String())
}

func enumNames(ed protoreflect.EnumDescriptor) []string {
	var names []string
	for i := range ed.Values().Len() {
		names = append(names, string(ed.Values().Get(i).Name()))
	}
	return names
}

func kindText(kind string) string {
	switch kind {
	case "int32", "int64", "sint32", "sint64", "sfixed32", "sfixed64":
		return "an integer"
	case "uint32", "uint64", "fixed32", "fixed64":
		return "a whole number (0 or more)"
	case "bool":
		return "true or false"
	case "string":
		return "a string"
	case "float", "double":
		return "a number"
	case "bytes":
		return "base64-encoded bytes"
	case "enum":
		return "a valid enum value"
	}
	return "a " + kind
}

// tokenText names the JSON token protojson did not expect.
func tokenText(tok string) string {
	switch tok {
	case "{":
		return "an object"
	case "[":
		return "a list"
	case "null":
		return "null"
	case "true", "false":
		return tok
	}
	return tok
}

func describeValue(v any) string {
	switch v.(type) {
	case []any:
		return "a list"
	case string:
		return fmt.Sprintf("the string %q", v)
	}
	return fmt.Sprintf("%v", v)
}

// suggest returns "; did you mean X?" for the closest candidate, if close.
func suggest(got string, candidates []string) string {
	best, bestDist := "", 1<<30
	for _, c := range candidates {
		dist := levenshtein.ComputeDistance(strings.ToLower(got), strings.ToLower(c))
		if dist < bestDist {
			best, bestDist = c, dist
		}
	}
	if best == "" || best == got || bestDist > max(1, len(got)/3) {
		return ""
	}
	return fmt.Sprintf("; did you mean %s?", best)
}
