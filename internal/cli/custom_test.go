package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConftestPolicies runs policies written in conftest's documented
// styles (Rego v0 and v1, set and object messages, deny/violation/warn,
// another namespace) and checks their findings carry file and line.
func TestConftestPolicies(t *testing.T) {
	root := repoRoot(t)
	policy := filepath.Join(pkgDir, "testdata/conftest/policy")
	other := filepath.Join(pkgDir, "testdata/conftest/other")
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"dockerfile, rego v0", []string{"--lab", "docker", "--policy", policy, "fixtures/docker-latest/labs"}, []string{
			"fixtures/docker-latest/labs/docker/Dockerfile:6: error [main.deny] unpinned base image alpine:latest",
		}},
		{"yaml documents, rego v1", []string{"--lab", "kubernetes", "--policy", policy, "fixtures/passing/labs"}, []string{
			"fixtures/passing/labs/kubernetes/04-services.yaml:3: error [main.violation] Service minio-headless has no app.kubernetes.io/part-of label",
			"fixtures/passing/labs/kubernetes/05-statefulset.yaml:1: warning [main.warn] StatefulSet minio runs 4 replicas; check the quota",
		}},
		{"another namespace", []string{"--lab", "kubernetes", "--policy", other, "--namespace", "labs.security", "fixtures/passing/labs"}, []string{
			"fixtures/passing/labs/kubernetes/02-secret.yaml:1: error [labs.security.deny] Secret minio-credentials keeps its values in plain stringData",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, code := runIn(t, root, append([]string{"--no-color"}, tc.args...)...)
			if code == ExitError {
				t.Fatalf("exit 2: %s", stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestTestCommand(t *testing.T) {
	out, stderr, code := runIn(t, pkgDir, "test", "testdata/conftest/policy")
	if code != ExitOK || !strings.Contains(out, "2 passed, 0 failed") {
		t.Errorf("exit %d, output %q, stderr %q; want 2 passed", code, out, stderr)
	}
	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, "p_test.rego"), []byte("package main\n\ntest_wrong if { 1 == 2 }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code = runIn(t, pkgDir, "test", bad)
	if code != ExitFindings || !strings.Contains(out, "FAIL") || !strings.Contains(out, "0 passed, 1 failed") {
		t.Errorf("a failing test: exit %d, output %q", code, out)
	}
}
