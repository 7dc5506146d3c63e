package acceptance

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rhysd/actionlint"
	"sigs.k8s.io/yaml"

	"github.com/labcheck/labcheck/internal/cli"
	"github.com/labcheck/labcheck/internal/scaffold"
	"github.com/labcheck/labcheck/rules"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds labcheck once for the tests that run it as a program.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "labcheck-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "labcheck")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/labcheck")
		cmd.Dir = repoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = err
			binPath = string(out)
		}
	})
	if buildErr != nil {
		t.Fatalf("build labcheck: %v\n%s", buildErr, binPath)
	}
	return binPath
}

// TestActionScript runs the Action's step script in a simulated GitHub
// environment and checks what GitHub would read from it.
func TestActionScript(t *testing.T) {
	a := newAction(t)
	run := func(path, failOn string) (string, int) { return a.run(t, "INPUT_PATH="+path, "INPUT_FAIL_ON="+failOn) }
	tmp, summary, output := a.tmp, a.summary, a.output

	log, code := run("fixtures/docker-latest/labs", "error")
	if code != 1 {
		t.Fatalf("a failing submission: exit %d, want 1\n%s", code, log)
	}
	if !strings.Contains(log, "::error file=fixtures/docker-latest/labs/docker/Dockerfile,line=6,title=DOCKER-002 base-image-not-latest::") {
		t.Errorf("no annotation for DOCKER-002 in the log:\n%s", log)
	}
	outputs := readOutputs(t, output)
	if outputs["score"] == "" || outputs["max-score"] != "100" {
		t.Errorf("outputs = %v, want a score out of 100", outputs)
	}
	raw, err := base64.StdEncoding.DecodeString(outputs["result"])
	if err != nil {
		t.Fatalf("result is not base64: %v", err)
	}
	var classroom struct {
		Version  int     `json:"version"`
		MaxScore float64 `json:"max_score"`
	}
	if err := json.Unmarshal(raw, &classroom); err != nil || classroom.Version != 1 || classroom.MaxScore != 100 {
		t.Errorf("result = %s (%v)", raw, err)
	}
	md, _ := os.ReadFile(summary)
	if !strings.Contains(string(md), "## labcheck: ") {
		t.Errorf("step summary lacks the score table:\n%s", md)
	}
	if sarif, err := os.ReadFile(filepath.Join(tmp, "labcheck.sarif")); err != nil || !bytes.Contains(sarif, []byte(`"ruleId": "DOCKER-002"`)) {
		t.Errorf("SARIF file lacks DOCKER-002 (%v)", err)
	}

	if log, code := run("fixtures/passing/labs", "error"); code != 0 {
		t.Errorf("the full-marks submission: exit %d\n%s", code, log)
	}
	// Without verify the dynamic checks' 40 points cannot be earned.
	if outputs := readOutputs(t, output); outputs["score"] != "60" || outputs["reachable-score"] != "60" || outputs["max-score"] != "100" {
		t.Errorf("full marks without verify: outputs %v, want score 60, reachable-score 60, max-score 100", outputs)
	}
}

// action is a simulated GitHub Actions step environment for
// scripts/action.sh: its temp folder, step summary and outputs file.
type action struct{ tmp, summary, output string }

func newAction(t *testing.T) action {
	tmp := t.TempDir()
	a := action{tmp: tmp, summary: filepath.Join(tmp, "summary.md"), output: filepath.Join(tmp, "output")}
	for _, f := range []string{a.summary, a.output} {
		must(t, os.WriteFile(f, nil, 0o644))
	}
	return a
}

// run runs the Action's script with the built labcheck and env (INPUT_*
// settings) and returns its log and exit code.
func (a action) run(t *testing.T, env ...string) (string, int) {
	t.Helper()
	root := repoRoot(t)
	cmd := exec.Command("bash", filepath.Join(root, "scripts/action.sh"))
	cmd.Dir = root
	cmd.Env = append(append(os.Environ(),
		"LABCHECK="+binary(t),
		"GITHUB_STEP_SUMMARY="+a.summary,
		"GITHUB_OUTPUT="+a.output,
		"RUNNER_TEMP="+a.tmp,
		"INPUT_SARIF_FILE="+filepath.Join(a.tmp, "labcheck.sarif"),
		"INPUT_CLASSROOM_FILE="+filepath.Join(a.tmp, "classroom.json"),
	), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), code
}

// TestActionScriptVerify: with `verify: true` the Action runs labcheck
// verify, whose dynamic checks then count: a dynamic phase (here a
// stand-in labcheck-verify whose every step passed) brings the full-marks
// submission to 100 of 100, all reachable.
func TestActionScriptVerify(t *testing.T) {
	var steps []string
	data, ok := rules.Builtin(rules.Default)
	if !ok {
		t.Fatal("no default rubric")
	}
	var rub struct {
		Labs []struct {
			ID     string
			Checks []struct{ Rule string }
		}
	}
	must(t, yaml.Unmarshal(data, &rub))
	for _, l := range rub.Labs {
		for _, c := range l.Checks {
			if strings.HasPrefix(c.Rule, "DYN-") {
				steps = append(steps, fmt.Sprintf(`{"rule": %q, "lab": %q, "title": "t", "status": "pass", "seconds": 1}`, c.Rule, l.ID))
			}
		}
	}
	dir := t.TempDir()
	result := filepath.Join(dir, "result.json")
	must(t, os.WriteFile(result, []byte(`{"version": 1, "environment": {"provider": "kind", "cluster": "labcheck-00000000", "nodes": 5}, "steps": [`+strings.Join(steps, ",")+`], "findings": [], "seconds": 200}`), 0o644))
	fake := filepath.Join(dir, "labcheck-verify")
	must(t, os.WriteFile(fake, []byte("#!/bin/sh\ncat '"+result+"'\n"), 0o755))

	a := newAction(t)
	log, code := a.run(t, "INPUT_PATH=fixtures/passing/labs", "INPUT_VERIFY=true", "LABCHECK_VERIFY="+fake)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, log)
	}
	if outputs := readOutputs(t, a.output); outputs["score"] != "100" || outputs["reachable-score"] != "100" || outputs["max-score"] != "100" {
		t.Errorf("outputs %v, want 100 of 100, all reachable", outputs)
	}
}

// readOutputs reads $GITHUB_OUTPUT; later lines win, as on GitHub.
func readOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			out[k] = v
		}
	}
	return out
}

// TestWorkflowsPassActionlint lints the workflow `labcheck init` writes
// (the README's example) and a workflow that uses this repository's
// action.yml directly, so its inputs are checked against the metadata.
func TestWorkflowsPassActionlint(t *testing.T) {
	root := repoRoot(t)
	example, err := scaffold.Template("templates/workflow.yml")
	if err != nil {
		t.Fatal(err)
	}
	local := strings.Replace(string(example), "uses: labcheck/labcheck@v0.1.0", "uses: ./", 1)
	local = strings.Replace(local, "path: .", "path: labs\n          fail-on: warning\n          sarif-file: out.sarif", 1)
	for name, content := range map[string]string{"example": string(example), "local action": local} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), ".github", "workflows")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			// The local action resolves ./action.yml from the repository root.
			repo := filepath.Dir(filepath.Dir(dir))
			copyFile(t, filepath.Join(root, "action.yml"), filepath.Join(repo, "action.yml"))
			must(t, os.Mkdir(filepath.Join(repo, ".git"), 0o755))
			path := filepath.Join(dir, "labcheck.yml")
			must(t, os.WriteFile(path, []byte(content), 0o644))
			l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{})
			if err != nil {
				t.Fatal(err)
			}
			errs, err := l.LintFile(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range errs {
				t.Errorf("actionlint: %s:%d:%d: %s [%s]", name, e.Line, e.Column, e.Message, e.Kind)
			}
		})
	}
}

// TestInitInEmptyRepository: init writes the three files, labcheck accepts
// its config, a second init leaves them alone, --force rewrites them.
func TestInitInEmptyRepository(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	if code := cli.Run(context.Background(), []string{"init", dir}, nil, &out, &errb); code != 0 {
		t.Fatalf("init: exit %d: %s", code, errb.String())
	}
	for _, f := range scaffold.Files {
		if _, err := os.Stat(filepath.Join(dir, f.Path)); err != nil {
			t.Errorf("init did not write %s", f.Path)
		}
	}
	cfg := filepath.Join(dir, ".labcheck.yaml")
	must(t, os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM alpine:3.20 AS b\nFROM alpine:3.20\nCOPY --from=b /etc/os-release /x\nUSER 1\n"), 0o644))
	out.Reset()
	if code := cli.Run(context.Background(), []string{"--config", cfg, "--lab", "docker", dir}, nil, &out, &errb); code == cli.ExitError {
		t.Fatalf("labcheck refused init's config: %s", errb.String())
	}
	must(t, os.WriteFile(cfg, []byte("# mine\n"), 0o644))
	out.Reset()
	cli.Run(context.Background(), []string{"init", dir}, nil, &out, &errb)
	if got, _ := os.ReadFile(cfg); string(got) != "# mine\n" || !strings.Contains(out.String(), "skipped .labcheck.yaml") {
		t.Errorf("init overwrote an existing file without --force: %q / %s", got, out.String())
	}
	cli.Run(context.Background(), []string{"init", "--force", dir}, nil, &out, &errb)
	if got, _ := os.ReadFile(cfg); string(got) == "# mine\n" {
		t.Error("init --force did not rewrite the config")
	}
}

// TestOwnDockerfilePassesDockerRules: labcheck's image passes the rules it
// teaches (build.sh is a lab artefact; .labcheck-self.yaml waives it).
func TestOwnDockerfilePassesDockerRules(t *testing.T) {
	root := repoRoot(t)
	t.Chdir(root)
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), []string{"--no-color", "--config", ".labcheck-self.yaml", "--fail-on", "warning", "Dockerfile"}, nil, &out, &errb)
	if code != cli.ExitOK {
		t.Errorf("labcheck's own Dockerfile: exit %d\n%s%s", code, out.String(), errb.String())
	}
	if strings.Contains(out.String(), "error [") || strings.Contains(out.String(), "warning [") {
		t.Errorf("findings on labcheck's own Dockerfile:\n%s", out.String())
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	must(t, os.WriteFile(to, data, 0o644))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
