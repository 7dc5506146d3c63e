package scaffold_test

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"

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
