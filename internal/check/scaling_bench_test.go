package check

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/labcheck/labcheck/internal/finding"
)

var (
	renamedField = regexp.MustCompile(`(name|namespace|serviceName|storageClassName): minio`)
	serverURL    = "minio-{0...3}.minio-headless.minio.svc"
)

// kubernetesCopies writes n copies of the full-marks Kubernetes lab into a
// new folder, copy i with every object, label, namespace and reference
// renamed minio-ci (as scripts/bench-peers.sh does), so each copy passes
// on its own and the rules see n times the objects.
func kubernetesCopies(tb testing.TB, n int) string {
	tb.Helper()
	src := "../../fixtures/passing/labs/kubernetes"
	files, err := filepath.Glob(filepath.Join(src, "*.yaml"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("fixture: %v", err)
	}
	dir := filepath.Join(tb.TempDir(), "labs", "kubernetes")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("minio-c%d", i)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			text := renamedField.ReplaceAllString(string(data), "$1: "+name)
			text = strings.ReplaceAll(text, serverURL, fmt.Sprintf("%s-{0...3}.%s-headless.%s.svc", name, name, name))
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("c%d-%s", i, filepath.Base(f))), []byte(text), 0o644); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return filepath.Dir(dir)
}

// TestCopiesPassLikeTheOriginal keeps the scaling benchmark honest: n
// renamed copies of the full-marks lab are n full-marks labs, so the rules
// do the work of a passing submission, n times.
func TestCopiesPassLikeTheOriginal(t *testing.T) {
	res, err := Run(context.Background(), testEngine(t), []string{kubernetesCopies(t, 3)}, Options{Labs: []finding.Lab{finding.Kubernetes}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		t.Errorf("finding on the copies: %s %s:%d %s", f.Rule, f.File, f.Line, f.Message)
	}
}

// BenchmarkKubernetesScaling checks the Kubernetes lab of 1 to 200 copies
// of the full Lab 2, policies compiled: the time per run should grow with
// the number of objects, not its square.
func BenchmarkKubernetesScaling(b *testing.B) {
	eng, err := helmEngineOnce()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 10, 100, 200} {
		dir := kubernetesCopies(b, n)
		opts := Options{Labs: []finding.Lab{finding.Kubernetes}}
		if _, err := Run(context.Background(), eng, []string{dir}, opts); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("x%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Run(context.Background(), eng, []string{dir}, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
