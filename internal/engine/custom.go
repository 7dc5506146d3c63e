package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/labcheck/labcheck/internal/finding"
)

// Custom is a compiled set of user policies written for conftest: rules
// named deny, violation or warn in the chosen namespaces (package main by
// default), in set or partial-set form, with string or object messages.
type Custom struct {
	query      rego.PreparedEvalQuery
	namespaces []string
	meta       map[string]*ast.Annotations // package path -> package METADATA
	digest     string                      // of the sources and namespaces, for result caches
}

// conftestRules are the rule names conftest evaluates, and what they mean.
var conftestRules = map[string]finding.Severity{"deny": finding.Error, "violation": finding.Error, "warn": finding.Warning}

// LoadCustom compiles the .rego files (not the tests) under dirs, in Rego
// v1 or, file by file, v0 syntax.
func LoadCustom(ctx context.Context, dirs, namespaces []string) (*Custom, error) {
	if len(namespaces) == 0 {
		namespaces = []string{"main"}
	}
	modules := map[string]*ast.Module{}
	h := sha256.New()
	fmt.Fprintf(h, "%q\n", namespaces)
	for _, dir := range dirs {
		ms, err := parseModules(os.DirFS(dir), false, true)
		if err != nil {
			return nil, fmt.Errorf("policy %s: %w", dir, err)
		}
		sources, _ := readSources(os.DirFS(dir), false)
		for _, src := range sources {
			fmt.Fprintf(h, "%d:%s%d:%s", len(src.path), src.path, len(src.src), src.src)
		}
		for name, m := range ms {
			modules[dir+"/"+name] = m
		}
	}
	if len(modules) == 0 {
		return nil, fmt.Errorf("policy %s: no .rego files", strings.Join(dirs, ", "))
	}
	c := &Custom{namespaces: namespaces, meta: map[string]*ast.Annotations{}, digest: hex.EncodeToString(h.Sum(nil))}
	for _, m := range modules {
		for _, a := range m.Annotations {
			if a.Scope == "package" {
				c.meta[m.Package.Path.String()] = a
			}
		}
	}
	compiler := ast.NewCompiler()
	if compiler.Compile(modules); compiler.Failed() {
		return nil, fmt.Errorf("compile custom policies: %w", compiler.Errors)
	}
	// One query collects every rule of every namespace; a rule that is not
	// defined simply yields nothing.
	var terms []string
	for _, ns := range namespaces {
		for name := range conftestRules {
			terms = append(terms, fmt.Sprintf("%q: object.get(data, %s, [])", ns+"|"+name, refPath(ns, name)))
		}
	}
	slices.Sort(terms)
	q, err := rego.New(rego.Compiler(compiler), rego.Query("x := {"+strings.Join(terms, ", ")+"}")).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("prepare custom policies: %w", err)
	}
	c.query = q
	return c, nil
}

// Digest identifies the policies and namespaces: equal digests, equal
// results.
func (c *Custom) Digest() string { return c.digest }

// refPath is the path array object.get needs for data.<ns>.<rule>.
func refPath(ns, rule string) string {
	var parts []string
	for _, p := range append(strings.Split(ns, "."), rule) {
		parts = append(parts, fmt.Sprintf("%q", p))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// Result is one message of a custom policy.
type Result struct {
	Rule     string // the rule's id: METADATA custom.id, or namespace.rule
	Severity finding.Severity
	Message  string
	Line     int // from an object message's "line", else 0
}

// Evaluate runs the policies on one conftest-shaped input.
func (c *Custom) Evaluate(ctx context.Context, input any) ([]Result, error) {
	value, err := Value(input)
	if err != nil {
		return nil, err
	}
	rs, err := c.query.Eval(ctx, rego.EvalParsedInput(value))
	if err != nil {
		return nil, fmt.Errorf("evaluate custom policies: %w", err)
	}
	if len(rs) == 0 {
		return nil, nil
	}
	byRule, _ := rs[0].Bindings["x"].(map[string]any)
	var out []Result
	for _, key := range slices.Sorted(maps.Keys(byRule)) {
		ns, name, _ := strings.Cut(key, "|")
		for _, msg := range messages(byRule[key]) {
			r := Result{Rule: c.ruleID(ns, name), Severity: conftestRules[name]}
			switch m := msg.(type) {
			case string:
				r.Message = m
			case map[string]any:
				r.Message, _ = m["msg"].(string)
				r.Line = number(m["line"])
			}
			if r.Message == "" {
				r.Message = fmt.Sprintf("%v", msg)
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// messages accepts a rule's value in either form conftest allows: a set
// (partial-set rule) or a single value (complete rule).
func messages(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case nil:
		return nil
	case bool:
		return nil // a boolean rule carries no message
	}
	return []any{v}
}

func (c *Custom) ruleID(ns, name string) string {
	if a := c.meta["data."+ns]; a != nil {
		if id, ok := a.Custom["id"].(string); ok && id != "" {
			return id
		}
	}
	return ns + "." + name
}

// ParseCustomModules parses custom policies as LoadCustom does, tests
// included, for `labcheck test`.
func ParseCustomModules(fsys fs.FS) (map[string]*ast.Module, error) {
	return parseModules(fsys, true, true)
}
