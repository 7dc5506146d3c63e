package check

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/labcheck/labcheck/internal/engine"
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
