package acceptance

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPreCommitHook proves the hook with the real pre-commit: a throw-away
// student repository, which has only started Lab 1 and has no config,
// installs labcheck's hook from a snapshot of this tree; a commit with a
// bad Dockerfile is refused, a good one goes in although the other labs
// are not there yet, and so does a commit that touches no lab.
func TestPreCommitHook(t *testing.T) {
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Skip("pre-commit is not installed (.ci/run installs Debian's pre-commit); the hook was not exercised")
	}
	if testing.Short() {
		t.Skip("-short: the pre-commit acceptance test builds labcheck inside pre-commit's cache")
	}
	root := repoRoot(t)
	tmp := t.TempDir()
	env := append(os.Environ(),
		"PRE_COMMIT_HOME="+filepath.Join(tmp, "pre-commit-home"),
		"GIT_AUTHOR_NAME=student", "GIT_AUTHOR_EMAIL=student@example.com",
		"GIT_COMMITTER_NAME=student", "GIT_COMMITTER_EMAIL=student@example.com",
		"GOMODCACHE="+goEnv(t, "GOMODCACHE"), "GOCACHE="+goEnv(t, "GOCACHE"), "GOFLAGS=-modcacherw -buildvcs=false", "GOTOOLCHAIN=local",
	)
	sh := func(dir string, args ...string) (string, error) {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir, cmd.Env = dir, env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		return out.String(), err
	}
	ok := func(dir string, args ...string) string {
		t.Helper()
		out, err := sh(dir, args...)
		if err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}

	// The hook repository: this working tree as one commit.
	hooks := filepath.Join(tmp, "labcheck")
	files := strings.Fields(ok(root, "git", "ls-files", "--cached", "--others", "--exclude-standard"))
	for _, f := range files {
		if info, err := os.Lstat(filepath.Join(root, f)); err != nil || !info.Mode().IsRegular() {
			continue // deleted in the work tree, or a link
		}
		dst := filepath.Join(hooks, f)
		must(t, os.MkdirAll(filepath.Dir(dst), 0o755))
		copyFile(t, filepath.Join(root, f), dst)
	}
	ok(hooks, "git", "init", "-q")
	ok(hooks, "git", "add", "-A")
	ok(hooks, "git", "commit", "-q", "-m", "snapshot")
	rev := strings.TrimSpace(ok(hooks, "git", "rev-parse", "HEAD"))

	// The student's repository.
	student := filepath.Join(tmp, "student")
	must(t, os.MkdirAll(filepath.Join(student, "labs/docker"), 0o755))
	ok(student, "git", "init", "-q")
	must(t, os.WriteFile(filepath.Join(student, ".pre-commit-config.yaml"), []byte(
		"repos:\n  - repo: "+hooks+"\n    rev: "+rev+"\n    hooks:\n      - id: labcheck\n"), 0o644))
	ok(student, "pre-commit", "install")
	for _, f := range []string{".dockerignore", "build.sh"} {
		copyFile(t, filepath.Join(root, "fixtures/passing/labs/docker", f), filepath.Join(student, "labs/docker", f))
	}
	must(t, os.WriteFile(filepath.Join(student, "labs/docker/Dockerfile"), []byte("FROM alpine:latest\nRUN echo hi\n"), 0o644))
	ok(student, "git", "add", "-A")
	out, err := sh(student, "git", "commit", "-m", "bad Dockerfile")
	if err == nil {
		t.Fatalf("the commit with a bad Dockerfile went in:\n%s", out)
	}
	if !strings.Contains(out, "DOCKER-002") || !strings.Contains(out, "labs/docker/Dockerfile:1") {
		t.Errorf("the refused commit does not say why:\n%s", out)
	}

	copyFile(t, filepath.Join(root, "fixtures/passing/labs/docker/Dockerfile"), filepath.Join(student, "labs/docker/Dockerfile"))
	ok(student, "git", "add", "-A")
	if out, err := sh(student, "git", "commit", "-m", "good Dockerfile"); err != nil {
		t.Fatalf("the commit with a good Dockerfile was refused: %v\n%s", err, out)
	}
	must(t, os.WriteFile(filepath.Join(student, "notes.yaml"), []byte("todo: [kubernetes]\n"), 0o644))
	ok(student, "git", "add", "-A")
	if out, err := sh(student, "git", "commit", "-m", "notes"); err != nil {
		t.Fatalf("a commit that touches no lab was refused: %v\n%s", err, out)
	}
}

func goEnv(t *testing.T, key string) string {
	t.Helper()
	out, err := exec.Command("go", "env", key).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}
