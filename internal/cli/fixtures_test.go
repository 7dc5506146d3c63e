package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/labcheck/labcheck/internal/finding"
)

var update = flag.Bool("update", false, "rewrite golden files")

// repoRoot is where the tests run the CLI from, so that report paths read
// as a user at the top of the repository would type them.
func repoRoot(t testing.TB) string {
	t.Helper()
	return filepath.Clean(filepath.Join(pkgDir, "../.."))
}

// expectation is a fixture's expect.yaml: how to run labcheck on it and
// what must come out.
type expectation struct {
	Args     []string   `json:"args"` // extra flags, e.g. [--lab, docker]
	Exit     int        `json:"exit"`
	Findings []expected `json:"findings"` // each must be reported (others may be too)
	Absent   []string   `json:"absent"`   // rules that must not be reported at all
	Only     bool       `json:"only"`     // the findings listed are the only ones reported (none when the list is empty)
}

type expected struct {
	Rule     string `json:"rule"`
	File     string `json:"file"` // relative to the fixture's folder
	Line     int    `json:"line"`
	Contains string `json:"contains"` // a part of the message, when it matters
}

func fixtures(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(repoRoot(t), "fixtures"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		t.Fatal("no fixtures")
	}
	return names
}

func runIn(t testing.TB, dir string, args ...string) (string, string, int) {
	t.Helper()
	t.Chdir(dir)
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

// TestFixtures runs the CLI on every fixture submission, checks the
// findings and exit code its expect.yaml names, and compares the JSON and
// text reports with golden files (go test ./internal/cli -update rewrites them).
func TestFixtures(t *testing.T) {
	root := repoRoot(t)
	for _, name := range fixtures(t) {
		t.Run(name, func(t *testing.T) {
			var exp expectation
			data, err := os.ReadFile(filepath.Join(root, "fixtures", name, "expect.yaml"))
			if err != nil {
				t.Fatalf("every fixture needs an expect.yaml: %v", err)
			}
			if err := yaml.UnmarshalStrict(data, &exp); err != nil {
				t.Fatalf("expect.yaml: %v", err)
			}
			target := "fixtures/" + name + "/labs"
			args := append(append([]string{"--format", "json", "--no-color"}, exp.Args...), target)
			out, stderr, code := runIn(t, root, args...)
			if code != exp.Exit {
				t.Errorf("exit code %d, want %d; stderr: %s", code, exp.Exit, stderr)
			}
			var rep struct {
				Findings []finding.Finding `json:"findings"`
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("report is not JSON: %v\n%s", err, out)
			}
			for _, want := range exp.Findings {
				file := "fixtures/" + name + "/" + want.File
				if !slices.ContainsFunc(rep.Findings, func(f finding.Finding) bool {
					return f.Rule == want.Rule && f.File == file && f.Line == want.Line && strings.Contains(f.Message, want.Contains)
				}) {
					t.Errorf("missing %s at %s:%d (message containing %q); got:\n%s", want.Rule, file, want.Line, want.Contains, summary(rep.Findings))
				}
			}
			if exp.Only && len(rep.Findings) != len(exp.Findings) {
				t.Errorf("%d findings reported, want only the %d listed; got:\n%s", len(rep.Findings), len(exp.Findings), summary(rep.Findings))
			}
			for _, rule := range exp.Absent {
				for _, f := range rep.Findings {
					if f.Rule == rule {
						t.Errorf("%s must not be reported, got %s:%d %s", rule, f.File, f.Line, f.Message)
					}
				}
			}
			golden(t, filepath.Join("testdata", "golden", name+".json"), out)
			text, _, _ := runIn(t, root, append(append([]string{"--no-color"}, exp.Args...), target)...)
			golden(t, filepath.Join("testdata", "golden", name+".txt"), text)
		})
	}
}

func summary(fs []finding.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("  " + f.Rule + " " + f.File + ":" + itoa(f.Line) + " " + f.Message + "\n")
	}
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }

// golden compares got with the file at path (relative to this package),
// or rewrites the file under -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	path = filepath.Join(pkgDir, path)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

// pkgDir is this package's folder, fixed before any test changes directory.
var pkgDir = func() string {
	d, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	return d
}()
