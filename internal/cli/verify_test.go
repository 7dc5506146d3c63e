package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/labcheck/labcheck/internal/dynamic"
)

// fakeVerify writes a labcheck-verify that records its arguments and
// environment, prints result and exits with code.
func fakeVerify(t *testing.T, result string, code int) (bin, argsFile, envFile string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake labcheck-verify is a shell script")
	}
	dir := t.TempDir()
	bin = filepath.Join(dir, dynamic.Executable)
	argsFile, envFile = filepath.Join(dir, "args"), filepath.Join(dir, "env")
	resultFile := filepath.Join(dir, "result.json")
	if err := os.WriteFile(resultFile, []byte(result), 0o644); err != nil {
		t.Fatal(err)
	}
	script := "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done > '" + argsFile + "'\nenv > '" + envFile + "'\n" +
		"echo 'progress on stderr' >&2\ncat '" + resultFile + "'\nexit " + strconv.Itoa(code) + "\n"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LABCHECK_VERIFY", bin)
	return bin, argsFile, envFile
}

const dynResult = `{"version": 1,
 "environment": {"provider": "kind", "cluster": "labcheck-0123abcd", "nodeImage": "labcheck.local/kind-node:v1.34.4", "nodes": 1, "kubernetes": "v1.34.4", "docker": "26.1.5", "kind": "v0.33.0"},
 "steps": [
  {"title": "create kind cluster labcheck-0123abcd", "status": "pass", "seconds": 61.2},
  {"rule": "DYN-012", "lab": "kubernetes", "title": "the workloads become Ready", "status": "fail", "seconds": 300.1, "detail": "StatefulSet minio/minio: 1 of 4 pods Ready after 5m0s\n  pod minio-0: Running, not Ready"}
 ],
 "findings": [
  {"rule": "DYN-012", "lab": "kubernetes", "msg": "StatefulSet minio/minio: 1 of 4 pods Ready after 5m0s\n  pod minio-0: Running, not Ready", "file": "fixtures/passing/labs/kubernetes/05-statefulset.yaml", "line": 9}
 ],
 "seconds": 400.5}
`

func lines(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimRight(string(data), "\n"), "\n")
}

func TestVerifyMergesDynamicFindings(t *testing.T) {
	_, argsFile, envFile := fakeVerify(t, dynResult, 0)
	t.Setenv("HTTPS_PROXY", "http://proxy.example:3128")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "do-not-pass")
	t.Setenv("DOCKER_HOST", "unix:///var/run/docker.sock")
	out, stderr, code := runIn(t, repoRoot(t), "verify", "--format", "json", "--lab", "kubernetes",
		"--node-image", "labcheck.local/kind-node:v1.34.4", "--nodes", "0", "--offline",
		"--load-image", "labcheck.local/minio:dev=quay.io/minio/minio", "fixtures/passing/labs")
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitFindings, stderr)
	}
	if !strings.Contains(stderr, "progress on stderr") {
		t.Errorf("labcheck-verify's progress was not passed through: %q", stderr)
	}
	var rep struct {
		Labs []struct {
			ID string `json:"id"`
		} `json:"labs"`
		Findings []struct {
			Rule, Name, Lab, Severity, Phase, File string
			Line                                   int
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	found := false
	for _, f := range rep.Findings {
		if f.Rule == "DYN-012" {
			found = true
			if f.Name != "workloads-ready" || f.Lab != "kubernetes" || f.Severity != "error" || f.Phase != "dynamic" || f.Line != 9 {
				t.Errorf("dynamic finding %+v", f)
			}
		}
	}
	if !found {
		t.Errorf("DYN-012 missing from the report:\n%s", out)
	}
	if len(rep.Labs) != 1 || rep.Labs[0].ID != "kubernetes" {
		t.Errorf("labs %+v, want only kubernetes", rep.Labs)
	}
	args := lines(t, argsFile)
	want := []string{"--node-image", "labcheck.local/kind-node:v1.34.4", "--nodes", "0", "--offline",
		"--load-image", "labcheck.local/minio:dev=quay.io/minio/minio", "--watch-stdin", "--lab", "kubernetes", "--", "fixtures/passing/labs"}
	if strings.Join(args, " ") != strings.Join(want, " ") {
		t.Errorf("labcheck-verify got\n  %q\nwant\n  %q", args, want)
	}
	env := strings.Join(lines(t, envFile), "\n")
	for _, secret := range []string{"HTTPS_PROXY", "AWS_SECRET_ACCESS_KEY"} {
		if strings.Contains(env, secret) {
			t.Errorf("%s was passed to labcheck-verify", secret)
		}
	}
	if !strings.Contains(env, "DOCKER_HOST=unix:///var/run/docker.sock") {
		t.Errorf("DOCKER_HOST was not passed to labcheck-verify:\n%s", env)
	}
}

func TestVerifyTextStatesTheRun(t *testing.T) {
	fakeVerify(t, dynResult, 0)
	out, stderr, code := runIn(t, repoRoot(t), "verify", "--lab", "kubernetes", "--no-color", "fixtures/passing/labs")
	if code != ExitFindings {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{
		"[DYN-012]",
		"Dynamic phase (400.5s): kind cluster labcheck-0123abcd (kind v0.33.0, node image labcheck.local/kind-node:v1.34.4, Kubernetes v1.34.4, 1 node), Docker 26.1.5",
		"FAIL  DYN-012  the workloads become Ready",
		"PASS  -        create kind cluster labcheck-0123abcd",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
}

func TestVerifyFailures(t *testing.T) {
	root := repoRoot(t)
	t.Run("dynamic phase could not run", func(t *testing.T) {
		fakeVerify(t, "", 2)
		_, stderr, code := runIn(t, root, "verify", "fixtures/passing/labs")
		if code != ExitError || !strings.Contains(stderr, "the dynamic phase did not complete") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("stopped with a result", func(t *testing.T) {
		// The phase stopped half-way (an image that would not load, the
		// cluster failing): the report still says what it did.
		stopped := `{"version": 1, "environment": {"provider": "kind", "cluster": "labcheck-0123abcd", "nodes": 5},
 "steps": [{"title": "create kind cluster labcheck-0123abcd", "status": "pass", "seconds": 61.2},
  {"title": "load image labcheck.local/minio:dev", "status": "error", "seconds": 3.1, "detail": "docker save labcheck.local/minio:dev: exit status 1"},
  {"title": "delete kind cluster labcheck-0123abcd", "status": "pass", "seconds": 5.0}],
 "findings": [], "seconds": 70.0}`
		fakeVerify(t, stopped, 2)
		stdout, stderr, code := runIn(t, root, "verify", "--format", "json", "fixtures/passing/labs")
		if code != ExitError || !strings.Contains(stderr, "the report holds the steps it ran") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
		var rep struct {
			Score   struct{ Points, Reachable float64 }
			Dynamic struct {
				Steps []struct{ Title, Status string }
			}
		}
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatalf("no report: %v\n%s", err, stdout)
		}
		if len(rep.Dynamic.Steps) != 3 || rep.Dynamic.Steps[1].Status != "error" || rep.Score.Reachable != 60 {
			t.Errorf("report %+v", rep)
		}
	})
	t.Run("unknown rule", func(t *testing.T) {
		fakeVerify(t, strings.Replace(dynResult, `"rule": "DYN-012", "lab": "kubernetes", "msg"`, `"rule": "DYN-999", "lab": "kubernetes", "msg"`, 1), 0)
		_, stderr, code := runIn(t, root, "verify", "fixtures/passing/labs")
		if code != ExitError || !strings.Contains(stderr, "DYN-999, which policies/dynamic/checks.yaml does not define") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("other result version", func(t *testing.T) {
		fakeVerify(t, `{"version": 2}`, 0)
		_, stderr, code := runIn(t, root, "verify", "fixtures/passing/labs")
		if code != ExitError || !strings.Contains(stderr, "version 2") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("not installed", func(t *testing.T) {
		t.Setenv("LABCHECK_VERIFY", "")
		t.Setenv("PATH", t.TempDir())
		_, stderr, code := runIn(t, root, "verify", "fixtures/passing/labs")
		if code != ExitError || !strings.Contains(stderr, "go install ./cmd/labcheck-verify") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
}

func TestVerifyCleanup(t *testing.T) {
	_, argsFile, _ := fakeVerify(t, "", 0)
	_, stderr, code := runIn(t, repoRoot(t), "verify", "--cleanup")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := lines(t, argsFile); strings.Join(got, " ") != "--cleanup" {
		t.Errorf("labcheck-verify got %q, want only --cleanup", got)
	}
}

// allPass is a dynamic result in which every Kubernetes step passed,
// except the node loss, which a one-node cluster cannot run.
const allPass = `{"version": 1,
 "environment": {"provider": "kind", "cluster": "labcheck-0123abcd", "nodes": 1},
 "steps": [
  {"rule": "DYN-010", "lab": "kubernetes", "title": "gate", "status": "pass", "seconds": 0.1},
  {"rule": "DYN-011", "lab": "kubernetes", "title": "accepted", "status": "pass", "seconds": 0.2},
  {"rule": "DYN-012", "lab": "kubernetes", "title": "ready", "status": "pass", "seconds": 12.5},
  {"rule": "DYN-013", "lab": "kubernetes", "title": "read write", "status": "pass", "seconds": 2.9},
  {"rule": "DYN-014", "lab": "kubernetes", "title": "pod loss", "status": "pass", "seconds": 6.3},
  {"rule": "DYN-015", "lab": "kubernetes", "title": "recovery", "status": "pass", "seconds": 0.3},
  {"rule": "DYN-016", "lab": "kubernetes", "title": "node loss", "status": "skip", "seconds": 0, "detail": "the cluster has 1 node"}
 ],
 "findings": [
  {"rule": "DYN-016", "lab": "kubernetes", "msg": "not run: the cluster has 1 node", "file": "fixtures/passing/labs/kubernetes/05-statefulset.yaml", "severity": "info"}
 ],
 "seconds": 90}
`

// TestVerifyGradesDynamicChecks: under verify the dynamic checks earn their
// points from their steps; a step the environment could not run is
// skipped (no points, and the reachable maximum says so); a check with a
// failed step earns nothing.
func TestVerifyGradesDynamicChecks(t *testing.T) {
	type check struct {
		Rule, Status, Phase string
		Points              float64
	}
	type rep struct {
		Score   struct{ Points, Max, Reachable float64 }
		Labs    []struct{ Checks []check }
		Dynamic *struct {
			Environment struct{ Cluster string }
			Steps       []struct{ Rule string }
		}
	}
	for _, tc := range []struct {
		name, result                string
		points, reachable           float64
		dyn012, dyn013, dyn016, k01 string
	}{
		{"all passed but the node loss", allPass, 24, 24, "pass", "pass", "skip", "pass"},
		{"the workloads never became Ready", dynResult, 15, 17, "fail", "skip", "skip", "pass"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fakeVerify(t, tc.result, 0)
			out, stderr, _ := runIn(t, repoRoot(t), "verify", "--format", "json", "--lab", "kubernetes", "fixtures/passing/labs")
			var r rep
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("%v\n%s\n%s", err, out, stderr)
			}
			if r.Score.Points != tc.points || r.Score.Max != 25 || r.Score.Reachable != tc.reachable {
				t.Errorf("score %+v, want %v of 25, %v reachable", r.Score, tc.points, tc.reachable)
			}
			st := map[string]check{}
			for _, c := range r.Labs[0].Checks {
				st[c.Rule] = c
			}
			for rule, want := range map[string]string{"DYN-012": tc.dyn012, "DYN-013": tc.dyn013, "DYN-016": tc.dyn016, "K8S-001": tc.k01} {
				if st[rule].Status != want {
					t.Errorf("%s: %s, want %s", rule, st[rule].Status, want)
				}
			}
			if st["DYN-012"].Phase != "dynamic" || st["K8S-001"].Phase != "static" {
				t.Errorf("phases: %+v %+v", st["DYN-012"], st["K8S-001"])
			}
			if r.Dynamic == nil || r.Dynamic.Environment.Cluster != "labcheck-0123abcd" || len(r.Dynamic.Steps) == 0 {
				t.Errorf("the report does not state the dynamic run: %+v", r.Dynamic)
			}
		})
	}
}
