package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoad(t *testing.T) {
	p := write(t, t.TempDir(), FileName, "failOn: warning\nlabs: [docker, istio]\nrubric: module02-static\nignore:\n  - rule: DOCKER-011\n    file: labs/docker/Dockerfile\n    reason: needed\ngrading:\n  allowWaivers: false\n")
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.Path != p || c.FailOn != "warning" || len(c.Labs) != 2 || c.Rubric != "module02-static" {
		t.Errorf("config = %+v", c)
	}
	if len(c.Ignore) != 1 || c.Ignore[0] != (Ignore{Rule: "DOCKER-011", File: "labs/docker/Dockerfile", Reason: "needed"}) {
		t.Errorf("ignore = %+v", c.Ignore)
	}
	if c.Grading.AllowWaivers == nil || *c.Grading.AllowWaivers {
		t.Errorf("grading.allowWaivers = %v, want false (set)", c.Grading.AllowWaivers)
	}
}

func TestLoadRefusesWhatItCannotMean(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"misspelled key", "fail-on: error\n", `unknown field "fail-on"`},
		{"unknown severity", "failOn: fatal\n", `failOn: unknown severity "fatal"`},
		{"unknown lab", "labs: [podman]\n", `labs: unknown lab "podman"`},
		{"ignore without a rule", "ignore:\n  - file: x\n", "ignore[0]: rule is required"},
		{"not YAML", "labs: [docker\n", "config"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := write(t, t.TempDir(), FileName, tc.src)
			_, err := Load(p)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
				t.Errorf("err = %v, want it to name %s and say %q", err, p, tc.want)
			}
		})
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Error("a missing config loaded")
	}
}

func TestFindLooksUpwardToTheRepositoryRoot(t *testing.T) {
	root := t.TempDir()
	repo := filepath.Join(root, "repo")
	deep := filepath.Join(repo, "labs", "docker")
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	// Above the repository: never found from inside it.
	write(t, root, FileName, "labs: [docker]\n")
	if got, err := Find(deep); err != nil || got != "" {
		t.Errorf("Find = %q, %v; want nothing (a config above the repository is not the repository's)", got, err)
	}
	want := write(t, repo, FileName, "labs: [docker]\n")
	if got, err := Find(deep); err != nil || got != want {
		t.Errorf("Find = %q, %v; want %s", got, err, want)
	}
}
