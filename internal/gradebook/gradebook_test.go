package gradebook

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/grade"
	"github.com/labcheck/labcheck/internal/settings"
)

// setup returns the built-in rules and the static-only rubric.
func setup(t testing.TB) (*engine.Engine, *grade.Rubric) {
	t.Helper()
	s := instructor(t)
	return s.Engine, s.Rubric
}

// instructor resolves the instructor's settings for a rubric
// (module02-static unless one is named): grade runs no dynamic phase.
func instructor(t testing.TB, rubric ...string) *settings.Settings {
	t.Helper()
	f := settings.Flags{Rubric: "module02-static", Version: "v0.1.0"}
	if len(rubric) > 0 {
		f.Rubric = rubric[0]
	}
	s, err := settings.Resolve(context.Background(), settings.Grade, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// class copies fixtures into a class folder, n times over, as students.
func class(t testing.TB, n int, fixtures ...string) string {
	t.Helper()
	dir := t.TempDir()
	for i := range n {
		for _, f := range fixtures {
			dst := filepath.Join(dir, fmt.Sprintf("%s-%03d", f, i))
			if out, err := exec.Command("cp", "-r", filepath.Join("../../fixtures", f), dst).CombinedOutput(); err != nil {
				t.Fatalf("cp: %v %s", err, out)
			}
		}
	}
	return dir
}

func TestFind(t *testing.T) {
	dir := class(t, 1, "passing", "docker-latest")
	subs, err := Find([]string{dir})
	if err != nil || len(subs) != 2 || subs[0].Name != "docker-latest-000" {
		t.Fatalf("Find(class) = %+v, %v", subs, err)
	}
	one, err := Find([]string{filepath.Join(dir, "passing-000")})
	if err != nil || len(one) != 1 || one[0].Name != "passing-000" {
		t.Fatalf("Find(one submission) = %+v, %v", one, err)
	}
	if _, err := Find([]string{filepath.Join(dir, "nope")}); err == nil {
		t.Error("Find of a missing folder succeeded")
	}
}

func TestRunAndWrite(t *testing.T) {
	s := instructor(t)
	dir := class(t, 1, "passing", "docker-latest")
	subs, _ := Find([]string{dir})
	var progress []string
	rows := Run(context.Background(), subs, Options{Settings: s, Done: func(done, total int, r Row) {
		progress = append(progress, fmt.Sprintf("%d/%d", done, total))
	}})
	if len(rows) != 2 || len(progress) != 2 || progress[1] != "2/2" {
		t.Fatalf("rows %d, progress %v", len(rows), progress)
	}
	byName := map[string]Row{}
	for _, r := range rows {
		byName[r.Submission] = r
	}
	if r := byName["passing-000"]; r.Error != "" || r.Points != r.Max || r.Max != 100 {
		t.Errorf("full-marks row = %+v", r)
	}
	if r := byName["docker-latest-000"]; r.Points >= 100 || r.Labs[finding.Docker] != 23 {
		t.Errorf("docker-latest row = %+v, want docker 23 (DOCKER-002 costs 2)", r)
	}
	var csvOut bytes.Buffer
	if err := WriteCSV(&csvOut, s.Rubric, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&csvOut).ReadAll()
	if err != nil || len(recs) != 3 || strings.Join(recs[0][:6], ",") != "submission,status,points,max,reachable,docker" {
		t.Errorf("CSV = %v (%v)", recs, err)
	}
}

// With the default rubric, whose dynamic checks grade cannot run, a
// full-marks submission reaches 60 of 100 and the row says so.
func TestDefaultRubricReachable(t *testing.T) {
	s := instructor(t, "module02")
	subs, _ := Find([]string{class(t, 1, "passing")})
	rows := Run(context.Background(), subs, Options{Settings: s})
	if len(rows) != 1 || rows[0].Points != 60 || rows[0].Reachable != 60 || rows[0].Max != 100 {
		t.Errorf("rows = %+v, want 60 points of 100, 60 reachable", rows)
	}
}

func TestTimeoutIsARowNotTheEnd(t *testing.T) {
	s := instructor(t)
	dir := class(t, 1, "passing", "docker-latest")
	subs, _ := Find([]string{dir})
	rows := Run(context.Background(), subs, Options{Settings: s, Timeout: time.Nanosecond})
	for _, r := range rows {
		if r.Status != Failed || !strings.Contains(r.Error, "took longer than") {
			t.Errorf("row %s: status %s, error %q; want failed, took longer than", r.Submission, r.Status, r.Error)
		}
	}
	if len(rows) != 2 {
		t.Fatalf("rows = %d, want 2", len(rows))
	}
}

// BenchmarkGradeClass grades a class of generated submissions (copies of
// the fixtures) and reports submissions per second.
func BenchmarkGradeClass(b *testing.B) {
	s := instructor(b)
	fixtures := []string{"passing", "docker-latest", "docker-hygiene", "docker-no-user"}
	dir := class(b, 50, fixtures...) // 200 submissions
	subs, _ := Find([]string{dir})
	Run(context.Background(), subs[:4], Options{Settings: s}) // compile the policies once
	b.ResetTimer()
	for b.Loop() {
		rows := Run(context.Background(), subs, Options{Settings: s})
		for _, r := range rows {
			if r.Error != "" {
				b.Fatalf("%s: %s", r.Submission, r.Error)
			}
		}
	}
	b.ReportMetric(float64(len(subs)*b.N)/b.Elapsed().Seconds(), "submissions/s")
}
