package gradebook

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/labcheck/labcheck/internal/finding"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Reports are named after their file, or after their folder when the file
// is the Action's labcheck.json (one folder per downloaded artifact).
func TestFindReports(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "alice.json"), "{}")
	write(t, filepath.Join(dir, "artifacts", "report-bob", "labcheck.json"), "{}")
	write(t, filepath.Join(dir, ".cache", "eve.json"), "{}")
	write(t, filepath.Join(dir, "notes.txt"), "")
	one := filepath.Join(t.TempDir(), "carol", "labcheck.json")
	write(t, one, "{}")
	got, err := FindReports([]string{dir, one})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range got {
		names = append(names, r.Name)
	}
	if diff := cmp.Diff([]string{"alice", "carol", "report-bob"}, names); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}

	write(t, filepath.Join(dir, "more", "alice.json"), "{}")
	if _, err := FindReports([]string{dir}); err == nil || !strings.Contains(err.Error(), "two reports are named alice") {
		t.Errorf("two alice reports: err = %v", err)
	}
	if _, err := FindReports([]string{t.TempDir()}); err == nil || !strings.Contains(err.Error(), "holds no JSON report") {
		t.Errorf("an empty folder: err = %v", err)
	}
	if _, err := FindReports([]string{filepath.Join(dir, "missing")}); err == nil {
		t.Error("a missing folder was accepted")
	}
}

// goodReport is a real report of the full-marks fixture, as JSON fields,
// with the rubric it was graded with.
func goodReport(t *testing.T) (map[string]any, Expect) {
	t.Helper()
	eng, rub := setup(t)
	entries := graded(t, eng, rub, class(t, 1, "passing"))
	data, err := json.Marshal(entries[0].Report)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	m["rubric"] = map[string]any{"name": rub.Name, "digest": "sha256:1111"}
	return m, Expect{Rubric: rub, Digest: "sha256:1111", Version: "v0.1.0"}
}

// A report that cannot be counted in this gradebook is refused with the
// reason, never mixed in.
func TestReadReportRefuses(t *testing.T) {
	base, want := goodReport(t)
	clone := func(change func(m map[string]any)) string {
		data, _ := json.Marshal(base)
		var m map[string]any
		_ = json.Unmarshal(data, &m)
		change(m)
		out, _ := json.Marshal(m)
		return string(out)
	}
	for _, tc := range []struct {
		name, content string
		want          Expect
		err           string // "" means accepted
	}{
		{"the same rubric and version", clone(func(map[string]any) {}), want, ""},
		{"a newer minor version", clone(func(m map[string]any) { m["tool"] = map[string]any{"name": "labcheck", "version": "v0.9.3"} }), want, ""},
		{"not JSON", "<html>nope</html>", want, `is not a labcheck JSON report: "<html>nope</html>"`},
		{"the class workflow's note", "labcheck wrote no report for org/lab-eve: its job failed or timed out (see the job's log)\n", want, `is not a labcheck JSON report: "labcheck wrote no report for org/lab-eve: its job failed`},
		{"empty", "", want, "is not a labcheck JSON report: unexpected end of JSON input"},
		{"truncated", clone(func(map[string]any) {})[:200], want, "is not a labcheck JSON report"},
		{"another tool's JSON", `{"version": 1, "runs": []}`, want, "is not a labcheck JSON report"},
		{"another format version", clone(func(m map[string]any) { m["version"] = 2 }), want, "report format version 2"},
		{"another major version", clone(func(m map[string]any) { m["tool"] = map[string]any{"name": "labcheck", "version": "v1.0.0"} }), want, "another major version"},
		{"a development build", clone(func(m map[string]any) { m["tool"] = map[string]any{"name": "labcheck", "version": "devel"} }), want, "not a release version"},
		{"no rubric", clone(func(m map[string]any) { delete(m, "rubric") }), want, "does not say which rubric"},
		{"another rubric", clone(func(m map[string]any) { m["rubric"] = map[string]any{"name": "module03", "digest": "sha256:1111"} }), want, "graded with rubric module03"},
		{"another version of the rubric", clone(func(m map[string]any) {
			m["rubric"] = map[string]any{"name": want.Rubric.Name, "digest": "sha256:2222"}
		}), want, "another version of rubric"},
		{"fewer labs", clone(func(m map[string]any) { m["labs"] = m["labs"].([]any)[:1] }), want, "graded the labs docker, this gradebook grades"},
		{"the labs asked for", clone(func(m map[string]any) { m["labs"] = m["labs"].([]any)[:1] }), Expect{Rubric: want.Rubric, Digest: want.Digest, Version: want.Version, Labs: []finding.Lab{finding.Docker}}, ""},
		{"a waived check passed", clone(func(m map[string]any) {
			m["findings"] = []any{map[string]any{"rule": "DOCKER-002", "lab": "docker", "severity": "error", "phase": "static", "message": "latest", "file": "labs/docker/Dockerfile", "line": 1, "suppressed": true}}
		}), want, "counts 1 waived checks as passed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "r.json")
			write(t, path, tc.content)
			r, err := ReadReport(path, tc.want)
			switch {
			case tc.err == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.err == "" && (r == nil || r.Score.Max == 0):
				t.Errorf("accepted, but the report read is %+v", r)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Errorf("err = %v, want it to say %q", err, tc.err)
			}
		})
	}
	t.Run("waivers allowed", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "r.json")
		write(t, path, clone(func(m map[string]any) {
			m["findings"] = []any{map[string]any{"rule": "DOCKER-002", "lab": "docker", "severity": "error", "suppressed": true}}
		}))
		w := want
		w.AllowWaivers = true
		if _, err := ReadReport(path, w); err != nil {
			t.Errorf("with waivers allowed: %v", err)
		}
	})
}
