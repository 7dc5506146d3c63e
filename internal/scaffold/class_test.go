package scaffold_test

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"sigs.k8s.io/yaml"

	"github.com/labcheck/labcheck/internal/scaffold"
)

// TestClassWorkflowPassesActionlint lints the workflow `labcheck init
// --instructor` writes as it is, and with the labcheck action taken from
// this repository's action.yml, so that the inputs it passes and the
// json-file output it reads are checked against the action's metadata.
func TestClassWorkflowPassesActionlint(t *testing.T) {
	workflow, err := scaffold.Template("templates/class-workflow.yml")
	if err != nil {
		t.Fatal(err)
	}
	local := strings.Replace(string(workflow), "uses: labcheck/labcheck@v0.1.0", "uses: ./", 1)
	if local == string(workflow) {
		t.Fatal("the class workflow does not use labcheck/labcheck@v0.1.0")
	}
	action, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{"as written": string(workflow), "local action": local} {
		t.Run(name, func(t *testing.T) {
			repo := t.TempDir()
			dir := filepath.Join(repo, ".github", "workflows")
			for _, d := range []string{dir, filepath.Join(repo, ".git")} {
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(repo, "action.yml"), action, 0o644); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "labcheck-class.yml")
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{Shellcheck: shellcheck(t)})
			if err != nil {
				t.Fatal(err)
			}
			errs, err := l.LintFile(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range errs {
				t.Errorf("actionlint: %d:%d: %s [%s]", e.Line, e.Column, e.Message, e.Kind)
			}
		})
	}
}

// shellcheck is the shellcheck actionlint runs on the run: scripts, when
// installed (Debian's shellcheck); without it those scripts are not linted.
func shellcheck(t *testing.T) string {
	p, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Log("shellcheck is not installed: the workflow's scripts are not linted")
		return ""
	}
	return p
}

// init --instructor writes the class list and the class workflow, and
// leaves them alone the second time unless forced.
func TestWriteClassFiles(t *testing.T) {
	dir := t.TempDir()
	out, err := scaffold.Write(dir, scaffold.ClassFiles, false)
	if err != nil || len(out) != 2 || !out[0].Written || !out[1].Written {
		t.Fatalf("first write: %+v, %v", out, err)
	}
	for _, f := range scaffold.ClassFiles {
		if _, err := os.Stat(filepath.Join(dir, f.Path)); err != nil {
			t.Errorf("%s not written: %v", f.Path, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".labcheck.yaml")); err == nil {
		t.Error("--instructor also wrote the student's .labcheck.yaml")
	}
	out, err = scaffold.Write(dir, scaffold.ClassFiles, false)
	if err != nil || out[0].Written || out[1].Written {
		t.Errorf("second write: %+v, %v; want both left alone", out, err)
	}
	out, err = scaffold.Write(dir, scaffold.ClassFiles, true)
	if err != nil || !out[0].Written || !out[1].Written {
		t.Errorf("forced write: %+v, %v", out, err)
	}
}

// classWorkflow is the class workflow's jobs, parsed.
type classWorkflow struct {
	Env  map[string]string `json:"env"`
	Jobs map[string]struct {
		Steps []struct {
			Name string            `json:"name"`
			Run  string            `json:"run"`
			Env  map[string]string `json:"env"`
		} `json:"steps"`
	} `json:"jobs"`
}

// script is the run: script of a step of the class workflow.
func script(t *testing.T, job, step string) string {
	t.Helper()
	data, err := scaffold.Template("templates/class-workflow.yml")
	if err != nil {
		t.Fatal(err)
	}
	var w classWorkflow
	if err := yaml.Unmarshal(data, &w); err != nil {
		t.Fatal(err)
	}
	for _, s := range w.Jobs[job].Steps {
		if s.Name == step {
			return s.Run
		}
	}
	t.Fatalf("the class workflow has no step %q in job %s", step, job)
	return ""
}

// bash runs a step's script in dir, as a runner would (bash -e), with env.
func bash(t *testing.T, dir, run string, env ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", run)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// The class list step reads owner/name lines (comments and blank lines
// skipped) into the matrix, and refuses a line that is not a repository.
func TestClassListStep(t *testing.T) {
	if _, err := exec.LookPath("jq"); err != nil {
		t.Skip("jq is not installed (GitHub's runners have it): the class list step is not run here")
	}
	run := script(t, "students", "Read the class list")
	ws := t.TempDir()
	list, _ := scaffold.Template("templates/students.txt")
	list = append(list, []byte("\n  org/lab-alice  \n\norg/lab.bob # late\n")...)
	if err := os.MkdirAll(filepath.Join(ws, "class"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ws, "class", "students.txt"), list, 0o644); err != nil {
		t.Fatal(err)
	}
	output := filepath.Join(ws, "output")
	if out, err := bash(t, ws, run, "LIST=class/students.txt", "GITHUB_OUTPUT="+output); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	got, _ := os.ReadFile(output)
	if string(got) != `repos=["org/lab-alice","org/lab.bob"]`+"\n" {
		t.Errorf("outputs = %q", got)
	}

	if err := os.WriteFile(filepath.Join(ws, "class", "students.txt"), []byte("org/lab-alice\nhttps://github.com/org/lab-eve\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := bash(t, ws, run, "LIST=class/students.txt", "GITHUB_OUTPUT="+output)
	if err == nil || !strings.Contains(out, "::error title=labcheck::class/students.txt: not owner/name: https://github.com/org/lab-eve") {
		t.Errorf("a URL in the list: %v, %s", err, out)
	}
}

// The per-student and aggregation steps, run here on reports this test
// has labcheck write: each report is kept under the repository's name (or
// a note saying why there is none), and the gradebook job's step writes
// the CSV, JSON and HTML gradebook and the class table in the job summary.
func TestClassGradebookSteps(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", bin, "./cmd/labcheck")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	path := "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")

	// A student's job: labcheck ran and wrote its report; another's did not.
	keep := script(t, "verify", "Keep the JSON report")
	report := filepath.Join(t.TempDir(), "labcheck.json")
	gen := exec.Command(filepath.Join(bin, "labcheck"), "--format", "json", "--output", "json="+report, "--rubric", "module02", filepath.Join(root, "fixtures", "passing"))
	if out, err := gen.CombinedOutput(); err != nil && gen.ProcessState.ExitCode() > 1 {
		t.Fatalf("labcheck: %v\n%s", err, out)
	}
	ws := t.TempDir()
	reports := filepath.Join(ws, "reports")
	if err := os.MkdirAll(reports, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, job := range []struct{ repo, report, kept string }{
		{"org/lab-alice", report, "org__lab-alice.json"},
		{"org/lab-eve", "", "org__lab-eve.json"},
	} {
		dir := t.TempDir()
		if out, err := bash(t, dir, keep, "REPO="+job.repo, "REPORT="+job.report, "GITHUB_OUTPUT="+filepath.Join(dir, "output")); err != nil {
			t.Fatalf("keep %s: %v %s", job.repo, err, out)
		}
		// The gradebook job downloads every artifact into reports/
		// (merge-multiple).
		data, err := os.ReadFile(filepath.Join(dir, "report", job.kept))
		if err != nil {
			t.Fatalf("%s's job kept no %s: %v", job.repo, job.kept, err)
		}
		if err := os.WriteFile(filepath.Join(reports, job.kept), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	summary := filepath.Join(ws, "summary.md")
	out, err := bash(t, ws, script(t, "gradebook", "Grade the class"), path, "RUBRIC=module02", "GITHUB_STEP_SUMMARY="+summary)
	if err != nil {
		t.Fatalf("grade step: %v\n%s", err, out)
	}
	for _, ext := range []string{".csv", ".json", ".html"} {
		if _, err := os.Stat(filepath.Join(ws, "gradebook", "class"+ext)); err != nil {
			t.Errorf("the gradebook job wrote no class%s: %v", ext, err)
		}
	}
	md, _ := os.ReadFile(summary)
	if !strings.Contains(string(md), `| org\_\_lab-alice | 60 / 100 |`) || !strings.Contains(string(md), `| org\_\_lab-eve | — |`) || !strings.Contains(string(md), "labcheck wrote no report for org/lab-eve") {
		t.Errorf("job summary:\n%s", md)
	}
}
