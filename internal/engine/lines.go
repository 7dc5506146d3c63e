package engine

import (
	"context"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"
)

// FieldLines is an input that keeps its objects' field lines (field path
// to line) out of its Rego value. Converting every object's lines, and
// carrying them through every comparison of objects, cost a tenth of a
// check's CPU, while only a finding's line reads them: policies ask for
// one object's lines with the builtin labcheck.lines(file, doc), which
// data.labcheck.lib.objects.line calls when the object carries none.
type FieldLines interface {
	FieldLines(file string, doc int) (map[string]int, bool)
}

type fieldLinesKey struct{}

// withFieldLines makes input's lines what labcheck.lines answers during
// an evaluation under ctx.
func withFieldLines(ctx context.Context, input any) context.Context {
	if fl, ok := input.(FieldLines); ok {
		return context.WithValue(ctx, fieldLinesKey{}, fl)
	}
	return ctx
}

func init() {
	rego.RegisterBuiltin2(&rego.Function{
		Name:    "labcheck.lines",
		Decl:    types.NewFunction(types.Args(types.S, types.N), types.NewObject(nil, types.NewDynamicProperty(types.S, types.N))),
		Memoize: true,
	}, fieldLines)
}

// fieldLines is labcheck.lines: the lines of the object at document doc
// of file, undefined when the input has none for it (or is not a
// FieldLines).
func fieldLines(bctx rego.BuiltinContext, file, doc *ast.Term) (*ast.Term, error) {
	fl, ok := bctx.Context.Value(fieldLinesKey{}).(FieldLines)
	if !ok {
		return nil, nil
	}
	f, ok := file.Value.(ast.String)
	if !ok {
		return nil, nil
	}
	d, ok := doc.Value.(ast.Number)
	if !ok {
		return nil, nil
	}
	n, ok := d.Int()
	if !ok {
		return nil, nil
	}
	lines, ok := fl.FieldLines(string(f), n)
	if !ok {
		return nil, nil
	}
	kvs := make([][2]*ast.Term, 0, len(lines))
	for p, l := range lines {
		kvs = append(kvs, [2]*ast.Term{ast.StringTerm(p), ast.IntNumberTerm(l)})
	}
	return ast.ObjectTerm(kvs...), nil
}
