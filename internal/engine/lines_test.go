package engine

import (
	"context"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"
)

type fakeLines map[string]map[string]int

func (f fakeLines) FieldLines(file string, doc int) (map[string]int, bool) {
	if doc != 1 {
		return nil, false
	}
	l, ok := f[file]
	return l, ok
}

// TestFieldLines: labcheck.lines answers from the input's FieldLines, and
// is undefined for an object it does not know and for an input that keeps
// no lines.
func TestFieldLines(t *testing.T) {
	in := fakeLines{"sts.yaml": {"spec.replicas": 7, "spec": 5}}
	eval := func(ctx context.Context, q string) (any, bool) {
		t.Helper()
		rs, err := rego.New(rego.Query(q)).Eval(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) == 0 {
			return nil, false
		}
		return rs[0].Expressions[0].Value, true
	}
	ctx := withFieldLines(context.Background(), in)
	if v, ok := eval(ctx, `labcheck.lines("sts.yaml", 1)["spec.replicas"]`); !ok || v == nil || v.(interface{ String() string }).String() != "7" {
		t.Errorf(`labcheck.lines("sts.yaml", 1)["spec.replicas"] = %v, %v; want 7`, v, ok)
	}
	for _, q := range []string{`labcheck.lines("sts.yaml", 0)`, `labcheck.lines("other.yaml", 1)`} {
		if v, ok := eval(ctx, q); ok {
			t.Errorf("%s = %v, want undefined", q, v)
		}
	}
	if v, ok := eval(withFieldLines(context.Background(), map[string]any{}), `labcheck.lines("sts.yaml", 1)`); ok {
		t.Errorf("with an input that is not a FieldLines: %v, want undefined", v)
	}
}
