package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/labcheck/labcheck/internal/finding"
)

// Engine holds the compiled policies and the rules they define. It is safe
// for concurrent use; queries are prepared once per lab, on first use.
type Engine struct {
	compiler *ast.Compiler
	rules    map[string]*Rule // by package path
	byID     map[string]*Rule

	mu      sync.Mutex
	queries map[finding.Lab]*rego.PreparedEvalQuery
}

// Load parses and compiles every non-test .rego file of fsys, and reads
// each rule's metadata. Test files are left out: they are for `go test`
// and `labcheck test`, not for checking submissions.
func Load(fsys fs.FS) (*Engine, error) {
	modules, err := ParseModules(fsys, false)
	if err != nil {
		return nil, err
	}
	e := &Engine{rules: map[string]*Rule{}, byID: map[string]*Rule{}, queries: map[finding.Lab]*rego.PreparedEvalQuery{}}
	for file, m := range modules {
		r, err := ruleFromModule(file, m)
		if err != nil {
			return nil, err
		}
		if r == nil {
			continue
		}
		if prev, dup := e.byID[r.ID]; dup {
			return nil, fmt.Errorf("rule id %s is defined twice: %s and %s", r.ID, prev.Source, r.Source)
		}
		e.rules[r.Package], e.byID[r.ID] = r, r
	}
	e.compiler = ast.NewCompiler().WithEnablePrintStatements(false)
	if e.compiler.Compile(modules); e.compiler.Failed() {
		return nil, fmt.Errorf("compile policies: %w", e.compiler.Errors)
	}
	return e, nil
}

// ParseModules parses the .rego files of fsys with their annotations,
// keyed by path; tests says whether _test.rego files are included.
func ParseModules(fsys fs.FS, tests bool) (map[string]*ast.Module, error) {
	modules := map[string]*ast.Module{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".rego" {
			return err
		}
		if strings.HasSuffix(p, "_test.rego") && !tests {
			return nil
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(p, string(src), ast.ParserOptions{ProcessAnnotation: true})
		if err != nil {
			return fmt.Errorf("parse policy %s: %w", p, err)
		}
		modules[p] = m
		return nil
	})
	return modules, err
}

// Rules returns every rule, ordered by id.
func (e *Engine) Rules() []*Rule {
	out := make([]*Rule, 0, len(e.byID))
	for _, r := range e.byID {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *Rule) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Rule returns the rule with the given id.
func (e *Engine) Rule(id string) (*Rule, bool) {
	r, ok := e.byID[id]
	return r, ok
}

// Compiler is the compiled policy set, for running the policies' tests.
func (e *Engine) Compiler() *ast.Compiler { return e.compiler }

func (e *Engine) query(ctx context.Context, lab finding.Lab) (*rego.PreparedEvalQuery, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if q, ok := e.queries[lab]; ok {
		return q, nil
	}
	q, err := rego.New(
		rego.Compiler(e.compiler),
		rego.Query(fmt.Sprintf("data.labcheck.%s[pkg].deny[f]", lab)),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("prepare %s policies: %w", lab, err)
	}
	e.queries[lab] = &q
	return &q, nil
}

// Evaluate runs every rule of lab against input (any value that marshals to
// JSON) and returns their findings, unsorted.
func (e *Engine) Evaluate(ctx context.Context, lab finding.Lab, input any) ([]finding.Finding, error) {
	q, err := e.query(ctx, lab)
	if err != nil {
		return nil, err
	}
	value, err := toValue(input)
	if err != nil {
		return nil, fmt.Errorf("%s input: %w", lab, err)
	}
	rs, err := q.Eval(ctx, rego.EvalParsedInput(value))
	if err != nil {
		return nil, fmt.Errorf("evaluate %s policies: %w", lab, err)
	}
	var out []finding.Finding
	for _, res := range rs {
		pkg := fmt.Sprintf("data.labcheck.%s.%v", lab, res.Bindings["pkg"])
		r, ok := e.rules[pkg]
		if !ok {
			return nil, fmt.Errorf("policy %s denies but has no rule metadata", pkg)
		}
		f, err := r.finding(res.Bindings["f"])
		if err != nil {
			return nil, fmt.Errorf("%s (%s): %w", r.ID, r.Source, err)
		}
		out = append(out, f)
	}
	return out, nil
}

func toValue(input any) (ast.Value, error) {
	data, err := json.Marshal(input)
	if err != nil {
		return nil, err
	}
	return ast.ValueFromReader(strings.NewReader(string(data)))
}

// finding turns one deny result, {"msg", "file", "line"[, "column",
// "severity"]}, into a Finding carrying the rule's metadata.
func (r *Rule) finding(v any) (finding.Finding, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return finding.Finding{}, fmt.Errorf("deny result %v is not an object", v)
	}
	f := finding.Finding{Rule: r.ID, Name: r.Name, Lab: r.Lab, Severity: r.Severity, Phase: finding.Static}
	if f.Message, ok = m["msg"].(string); !ok || f.Message == "" {
		return f, fmt.Errorf("deny result %v has no msg", v)
	}
	f.File, _ = m["file"].(string)
	f.Line = number(m["line"])
	f.Column = number(m["column"])
	if s, ok := m["severity"].(string); ok {
		sev, err := finding.ParseSeverity(s)
		if err != nil {
			return f, err
		}
		f.Severity = sev
	}
	return f, nil
}

func number(v any) int {
	switch n := v.(type) {
	case json.Number:
		i, _ := n.Int64()
		return int(i)
	case float64:
		return int(n)
	case int:
		return n
	}
	return 0
}
