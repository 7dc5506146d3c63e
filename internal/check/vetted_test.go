package check

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/labcheck/labcheck/internal/discover"
	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/policies"
)

// TestVettedCompileFindsWhatFullCompileFinds: runs compile the policies
// the index vetted without the compiler's check-only stages. Every bundled
// fixture gets the same findings, in the same order, as from the same
// policies compiled with every stage (no index).
func TestVettedCompileFindsWhatFullCompileFinds(t *testing.T) {
	vetted, err := engine.Load(policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	noIndex := fstest.MapFS{}
	err = fs.WalkDir(policies.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == engine.IndexFile {
			return err
		}
		data, err := fs.ReadFile(policies.FS, p)
		noIndex[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	full, err := engine.Load(noIndex)
	if err != nil {
		t.Fatal(err)
	}
	dirs, err := filepath.Glob("../../fixtures/*/labs")
	if err != nil || len(dirs) < 10 {
		t.Fatalf("fixtures: %v %v", dirs, err)
	}
	total := 0
	for _, dir := range dirs {
		if _, err := os.Stat(dir); err != nil {
			t.Fatal(err)
		}
		a, err := Run(context.Background(), vetted, []string{dir}, Options{})
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		b, err := Run(context.Background(), full, []string{dir}, Options{})
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		if diff := cmp.Diff(b.Findings, a.Findings); diff != "" {
			t.Errorf("%s: findings differ (-every stage +vetted):\n%s", dir, diff)
		}
		total += len(a.Findings)
	}
	if total < 100 {
		t.Errorf("only %d findings over %d fixtures: the comparison proves little", total, len(dirs))
	}
}

// TestInputValuesAreTheJSONs: the Rego value each lab's input becomes
// (engine.Value, without JSON) is the one its JSON would give, for every
// bundled fixture.
func TestInputValuesAreTheJSONs(t *testing.T) {
	eng := testEngine(t)
	dirs, err := filepath.Glob("../../fixtures/*/labs")
	if err != nil || len(dirs) < 10 {
		t.Fatalf("fixtures: %v %v", dirs, err)
	}
	for _, dir := range dirs {
		tree, err := discover.Walk(dir, discover.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		sub := &submission{trees: []*discover.Tree{tree}, eng: eng}
		for _, lab := range finding.Labs {
			in, err := builders[lab](context.Background(), sub)
			if err == nil && derived[lab] != nil {
				err = derived[lab](context.Background(), sub, &in)
			}
			if err != nil {
				t.Fatalf("%s %s: %v", dir, lab, err)
			}
			data, err := json.Marshal(in.input)
			if err != nil {
				t.Fatal(err)
			}
			want, err := ast.ValueFromReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			got, err := engine.Value(in.input)
			if err != nil {
				t.Fatalf("%s %s: %v", dir, lab, err)
			}
			if got.Compare(want) != 0 {
				t.Errorf("%s %s: the value differs from the JSON's", dir, lab)
			}
		}
	}
}
