package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Object is one YAML document of a file, as policies see it.
type Object struct {
	File       string         `json:"file"`
	Doc        int            `json:"doc"`  // 0-based position of the document in the file
	Line       int            `json:"line"` // line of the document's first key
	APIVersion string         `json:"apiVersion"`
	Kind       string         `json:"kind"`
	Name       string         `json:"name"`
	Namespace  string         `json:"namespace"` // as written; "" when absent
	Object     map[string]any `json:"object"`
	// Lines maps a field path (see Path) to the line of its key. Policies
	// do not get them in their input: they ask labcheck.lines for them
	// (engine.FieldLines).
	Lines map[string]int `json:"-"`
}

// Problem is a document that could not be read, at the parser's line.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// Limits bound the work one file may cause.
type Limits struct {
	MaxDepth int // nesting of maps and lists
	MaxNodes int // nodes after expanding aliases, per document
}

// DefaultLimits refuse alias bombs and absurd nesting quickly while leaving
// room for any real manifest.
var DefaultLimits = Limits{MaxDepth: 64, MaxNodes: 200000}

// Parse reads every document of a YAML file. Documents that are empty are
// skipped; documents that are not mappings, or that exceed the limits, are
// Problems. A syntax error ends the file: yaml.v3 cannot resync after one.
func Parse(file string, data []byte, lim Limits) ([]Object, []Problem) {
	var objs []Object
	var probs []Problem
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for doc := 0; ; doc++ {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			probs = append(probs, Problem{File: file, Line: errLine(err), Message: "invalid YAML: " + errText(err)})
			break
		}
		if len(n.Content) == 0 || isNull(n.Content[0]) {
			continue
		}
		root := n.Content[0]
		if root.Kind != yaml.MappingNode {
			probs = append(probs, Problem{File: file, Line: root.Line, Message: fmt.Sprintf("document %d is a %s, not an object with apiVersion and kind", doc+1, kindName(root))})
			continue
		}
		c := &converter{lim: lim, lines: map[string]int{}}
		v, err := c.value(root, "", 0)
		if err != nil {
			probs = append(probs, Problem{File: file, Line: c.errLine, Message: err.Error()})
			continue
		}
		for _, d := range c.dups {
			probs = append(probs, Problem{File: file, Line: d.line, Message: d.msg})
		}
		o := Object{File: file, Doc: doc, Line: root.Line, Object: v.(map[string]any), Lines: c.lines}
		if len(root.Content) > 0 {
			o.Line = root.Content[0].Line
		}
		o.APIVersion, _ = o.Object["apiVersion"].(string)
		o.Kind, _ = o.Object["kind"].(string)
		if md, ok := o.Object["metadata"].(map[string]any); ok {
			o.Name, _ = md["name"].(string)
			o.Namespace, _ = md["namespace"].(string)
		}
		objs = append(objs, o)
	}
	return objs, probs
}

type dup struct {
	line int
	msg  string
}

// converter turns a node tree into plain values, recording lines.
type converter struct {
	lim     Limits
	nodes   int
	lines   map[string]int
	dups    []dup
	errLine int
}

func (c *converter) value(n *yaml.Node, path string, depth int) (any, error) {
	c.nodes++
	if c.nodes > c.lim.MaxNodes {
		c.errLine = n.Line
		return nil, fmt.Errorf("the document expands to more than %d YAML nodes (an alias bomb?); it was not read", c.lim.MaxNodes)
	}
	if depth > c.lim.MaxDepth {
		c.errLine = n.Line
		return nil, fmt.Errorf("the document nests deeper than %d levels; it was not read", c.lim.MaxDepth)
	}
	switch n.Kind {
	case yaml.AliasNode:
		return c.value(n.Alias, path, depth+1)
	case yaml.MappingNode:
		m := map[string]any{}
		if err := c.mapping(n, m, path, depth, true); err != nil {
			return nil, err
		}
		return m, nil
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for i, item := range n.Content {
			p := path + "[" + strconv.Itoa(i) + "]"
			c.lines[p] = item.Line
			v, err := c.value(item, p, depth+1)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	case yaml.ScalarNode:
		if n.ShortTag() == strTag {
			return n.Value, nil // what Decode gives a string, without a decoder per scalar
		}
		var v any
		if err := n.Decode(&v); err != nil {
			return n.Value, nil
		}
		return jsonSafe(v), nil
	}
	return nil, nil
}

// mapping fills m from a mapping node. Merge keys (<<) fill only keys the
// mapping does not set itself, as YAML 1.1 specifies.
func (c *converter) mapping(n *yaml.Node, m map[string]any, path string, depth int, own bool) error {
	seen := map[string]int{}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value == "<<" && k.Tag == "!!merge" {
			merges = append(merges, v)
			continue
		}
		key := k.Value
		if prev, ok := seen[key]; ok && own {
			c.dups = append(c.dups, dup{k.Line, fmt.Sprintf("key %s is defined twice (lines %d and %d); the last one wins", Path(path, key), prev, k.Line)})
		}
		seen[key] = k.Line
		if _, set := m[key]; set && !own {
			continue
		}
		p := Path(path, key)
		if own {
			c.lines[p] = k.Line
		}
		val, err := c.value(v, p, depth+1)
		if err != nil {
			return err
		}
		m[key] = val
	}
	for _, mn := range merges {
		for _, src := range mergeSources(mn) {
			if err := c.mapping(src, m, path, depth+1, false); err != nil {
				return err
			}
		}
	}
	return nil
}

func mergeSources(n *yaml.Node) []*yaml.Node {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		return []*yaml.Node{n}
	case yaml.SequenceNode:
		var out []*yaml.Node
		for _, item := range n.Content {
			out = append(out, mergeSources(item)...)
		}
		return out
	}
	return nil
}

const strTag = "!!str"

// plainKey reports whether a key is written as is in a path: letters,
// digits, _ and -.
func plainKey(key string) bool {
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return key != ""
}

// Path appends a key to a field path: spec.replicas, and
// metadata.annotations["labcheck.dev/ignore"] for keys that are not plain.
func Path(parent, key string) string {
	if !plainKey(key) {
		return parent + "[" + strconv.Quote(key) + "]"
	}
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// jsonSafe turns values yaml.v3 decodes into ones that marshal to JSON.
func jsonSafe(v any) any {
	switch x := v.(type) {
	case map[string]any, []any, string, bool, int, int64, float64, nil:
		return x
	case uint64:
		return float64(x)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "plain value"
	}
	return "non-object"
}

var lineInErr = regexp.MustCompile(`line (\d+)`)

// linePrefix is yaml.v3's "line N: " lead, which the finding's line says already.
var linePrefix = regexp.MustCompile(`^line \d+: `)

func errLine(err error) int {
	if m := lineInErr.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

func errText(err error) string {
	return linePrefix.ReplaceAllString(strings.TrimPrefix(err.Error(), "yaml: "), "")
}
