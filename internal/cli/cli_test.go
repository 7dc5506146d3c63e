package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labcheck/labcheck/rules"
)

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for rel, content := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestExitCodes(t *testing.T) {
	root := repoRoot(t)
	bad := t.TempDir()
	writeFiles(t, bad, map[string]string{".labcheck.yaml": "failOn: error\nfial: typo\n"})
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"passing fixture", []string{"fixtures/passing/labs"}, ExitOK, ""},
		{"failing fixture", []string{"--lab", "docker", "fixtures/docker-latest/labs"}, ExitFindings, ""},
		{"warnings pass by default", []string{"--lab", "docker", "fixtures/docker-hygiene/labs"}, ExitOK, ""},
		{"fail-on warning", []string{"--lab", "docker", "--fail-on", "warning", "fixtures/docker-hygiene/labs"}, ExitFindings, ""},
		{"fail-on none", []string{"--lab", "docker", "--fail-on", "none", "fixtures/docker-latest/labs"}, ExitOK, ""},
		{"missing path", []string{"fixtures/nope"}, ExitError, "path fixtures/nope"},
		{"unknown flag", []string{"--frobnicate", "."}, ExitError, "unknown flag"},
		{"unknown format", []string{"--format", "yaml", "fixtures/passing/labs"}, ExitError, `unknown format "yaml"`},
		{"unknown lab", []string{"--lab", "podman", "."}, ExitError, `unknown lab "podman"`},
		{"bad fail-on", []string{"--fail-on", "fatal", "."}, ExitError, `unknown severity "fatal"`},
		{"config typo", []string{"--config", filepath.Join(bad, ".labcheck.yaml"), "."}, ExitError, `unknown field "fial"`},
		{"bad output", []string{"--output", "sarif", "."}, ExitError, "want FORMAT=FILE"},
		{"version", []string{"version"}, ExitOK, ""},
		{"explain unknown", []string{"explain", "DOCKER-999"}, ExitError, "did you mean"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runIn(t, root, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, stderr)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr %q does not contain %q", stderr, tc.stderr)
			}
		})
	}
}

// TestHostileDockerfiles: each bad input is a finding (exit 1), never a
// crash, a hang or exit 2, and the other files are still checked.
func TestHostileDockerfiles(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	writeFiles(t, outside, map[string]string{"Dockerfile": "FROM alpine:3.20\nUSER 1\n"})
	writeFiles(t, root, map[string]string{
		"labs/docker/empty/Dockerfile":    "",
		"labs/docker/comments/Dockerfile": "# nothing\n# here\n",
		"labs/docker/binary/Dockerfile":   "FROM \x00\x00\x7fELF",
		"labs/docker/ok/Dockerfile":       "FROM alpine:latest\nUSER 1\n",
	})
	big, err := os.Create(filepath.Join(root, "labs/docker/big.Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if err := big.Truncate(50 << 20); err != nil {
		t.Fatal(err)
	}
	big.Close()
	if err := os.Symlink(filepath.Join(outside, "Dockerfile"), filepath.Join(root, "labs/docker/Dockerfile")); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runIn(t, root, "--no-color", "--lab", "docker", ".")
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1; stderr: %s\n%s", code, stderr, out)
	}
	for _, want := range []string{
		"labs/docker/empty/Dockerfile: error [DOCKER-000] file with no instructions",
		"labs/docker/comments/Dockerfile:2: error [DOCKER-000] file with no instructions",
		"labs/docker/binary/Dockerfile: error [DOCKER-000] labs/docker/binary/Dockerfile is a binary file, not text; it was not read",
		"labs/docker/big.Dockerfile: error [DOCKER-000] labs/docker/big.Dockerfile is larger than 1 MiB; it was not read",
		"labs/docker/Dockerfile: error [DOCKER-000] labs/docker/Dockerfile is a symlink that leads outside the submission; it was not read",
		"labs/docker/ok/Dockerfile:1: error [DOCKER-002] final stage FROM alpine:latest",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestBuiltinRubrics: every built-in rubric is valid against the catalog
// and selectable by name, from the command line or the config; the static
// one gives the full-marks submission all 100 points without verify, the
// default 60 (its dynamic checks need verify).
func TestBuiltinRubrics(t *testing.T) {
	root := repoRoot(t)
	score := func(args ...string) (string, string, int) {
		t.Helper()
		out, stderr, code := runIn(t, root, append([]string{"--format", "json"}, args...)...)
		var rep struct {
			Score struct{ Points, Max, Reachable float64 }
		}
		if code == ExitOK {
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
		}
		return fmt.Sprintf("%g/%g reachable %g", rep.Score.Points, rep.Score.Max, rep.Score.Reachable), stderr, code
	}
	for _, name := range rules.Names() {
		if got, stderr, code := score("--rubric", name, "fixtures/passing/labs"); code != ExitOK {
			t.Errorf("--rubric %s: exit %d: %s", name, code, stderr)
		} else {
			t.Logf("--rubric %s: %s", name, got)
		}
	}
	if got, _, _ := score("fixtures/passing/labs"); got != "60/100 reachable 60" {
		t.Errorf("default rubric: %s, want 60/100 reachable 60", got)
	}
	if got, _, _ := score("--rubric", "module02-static", "fixtures/passing/labs"); got != "100/100 reachable 100" {
		t.Errorf("module02-static: %s, want 100/100 reachable 100", got)
	}
	cfgDir := t.TempDir()
	writeFiles(t, cfgDir, map[string]string{"course.yaml": "rubric: module02-static\n"})
	if got, stderr, _ := score("--config", filepath.Join(cfgDir, "course.yaml"), "fixtures/passing/labs"); got != "100/100 reachable 100" {
		t.Errorf("rubric: module02-static in the config: %s (%s)", got, stderr)
	}
	if _, stderr, code := score("--rubric", "module03", "fixtures/passing/labs"); code != ExitError || !strings.Contains(stderr, "no built-in rubric of that name (module02, module02-static)") {
		t.Errorf("unknown rubric: exit %d, stderr %q", code, stderr)
	}
}

// TestReadmeExample: the README shows what labcheck prints for its
// example command, exactly.
func TestReadmeExample(t *testing.T) {
	root := repoRoot(t)
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	const intro = "A failing Dockerfile (`go run ./cmd/labcheck "
	_, rest, ok := strings.Cut(string(data), intro)
	if !ok {
		t.Fatalf("README lacks %q", intro)
	}
	args, rest, _ := strings.Cut(rest, "`")
	_, rest, _ = strings.Cut(rest, "```\n")
	want, _, _ := strings.Cut(rest, "```")
	out, _, _ := runIn(t, root, append([]string{"--no-color"}, strings.Fields(args)...)...)
	if out != want {
		t.Errorf("README's example output differs from labcheck %s:\n--- README\n%s--- labcheck\n%s", args, want, out)
	}
}

// TestGradeSaysWhatItCannotReach: grade runs no dynamic phase, so it says
// how many points the rubric's dynamic checks hold, for the labs graded,
// and says nothing when every point is static.
func TestGradeSaysWhatItCannotReach(t *testing.T) {
	root := repoRoot(t)
	out := filepath.Join(t.TempDir(), "book")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "gives 40 points to dynamic checks, which grade does not run (they need labcheck verify): every submission reaches at most 60 of 100"},
		{[]string{"--lab", "docker"}, "gives 10 points to dynamic checks, which grade does not run (they need labcheck verify): every submission reaches at most 15 of 25"},
		{[]string{"--rubric", "module02-static"}, ""},
	} {
		args := append(append([]string{"grade", "--out", out}, tc.args...), "fixtures/passing")
		stdout, stderr, code := runIn(t, root, args...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d: %s", tc.args, code, stderr)
		}
		if tc.want == "" && strings.Contains(stdout, "dynamic checks") || !strings.Contains(stdout, tc.want) {
			t.Errorf("%v: stdout %q, want %q", tc.args, stdout, tc.want)
		}
	}
}
