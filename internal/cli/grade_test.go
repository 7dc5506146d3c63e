package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/labcheck/labcheck/internal/gradebook"
)

// TestMain lets a test run this package's CLI as a separate process (the
// test binary itself), to kill it halfway.
func TestMain(m *testing.M) {
	if os.Getenv("LABCHECK_CLI_CHILD") == "1" {
		os.Exit(Run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// copyClass makes a class of n copies of a fixture.
func copyClass(t *testing.T, n int, fixture string) string {
	t.Helper()
	dir := t.TempDir()
	for i := range n {
		dst := filepath.Join(dir, fmt.Sprintf("student-%03d", i))
		if out, err := exec.Command("cp", "-r", filepath.Join(repoRoot(t), "fixtures", fixture), dst).CombinedOutput(); err != nil {
			t.Fatalf("cp: %v %s", err, out)
		}
	}
	return dir
}

func readBook(t *testing.T, path string) gradebook.Book {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var b gradebook.Book
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return b
}

func TestGradeOutputIntoAMissingFolder(t *testing.T) {
	class := copyClass(t, 2, "docker-latest")
	out := filepath.Join(t.TempDir(), "results", "2026", "book")
	stdout, stderr, code := runIn(t, repoRoot(t), "grade", "--out", out, class)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "graded 2 of 2 submissions: wrote "+out+".csv, "+out+".json and "+out+".html") {
		t.Errorf("closing line: %q", stdout)
	}
	b := readBook(t, out+".json")
	if b.Status != "complete" || b.Summary != (gradebook.Summary{Submissions: 2, Graded: 2}) || len(b.Submissions) != 2 {
		t.Errorf("gradebook: status %s, summary %+v, %d rows", b.Status, b.Summary, len(b.Submissions))
	}
	recs := readCSV(t, out+".csv")
	if len(recs) != 3 || recs[1][0] != "student-000" || recs[1][1] != "graded" {
		t.Errorf("CSV = %v", recs)
	}
}

// An output that cannot be written stops the run before any submission is
// graded, naming the path and why.
func TestGradeUnwritableOutputFailsFirst(t *testing.T) {
	class := copyClass(t, 2, "passing")
	tmp := t.TempDir()
	file := filepath.Join(tmp, "results")
	if err := os.WriteFile(file, []byte("a file where a folder should be"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{
		"a file where the folder should be": filepath.Join(file, "book"),
		"a folder where the CSV should be":  mkdirOut(t, tmp),
	} {
		t.Run(name, func(t *testing.T) {
			_, stderr, code := runIn(t, repoRoot(t), "grade", "--out", out, class)
			if code != ExitError {
				t.Fatalf("exit %d, want %d", code, ExitError)
			}
			if !strings.Contains(stderr, out) || strings.Contains(stderr, "[1/2]") {
				t.Errorf("stderr %q: want the path named and no submission graded", stderr)
			}
		})
	}
}

// mkdirOut returns an OUT whose OUT.csv is a folder.
func mkdirOut(t *testing.T, tmp string) string {
	out := filepath.Join(tmp, "book")
	if err := os.MkdirAll(out+".csv", 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

// A run killed halfway leaves every finished row readable in OUT.csv, and
// OUT.json says the run did not finish.
func TestGradeKilledHalfwayKeepsFinishedRows(t *testing.T) {
	class := copyClass(t, 60, "passing")
	out := filepath.Join(t.TempDir(), "book")
	cmd := exec.Command(os.Args[0], "grade", "--jobs", "1", "--out", out, class)
	cmd.Env = append(os.Environ(), "LABCHECK_CLI_CHILD=1")
	cmd.Dir = repoRoot(t)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		data, _ := os.ReadFile(out + ".csv")
		if bytes.Count(data, []byte("\n")) >= 4 { // the header and three rows
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no rows after 2 minutes; stderr: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("the run finished before it could be killed (%v): make the class larger", err)
	}
	recs := readCSV(t, out+".csv")
	if len(recs) < 4 || len(recs) >= 61 {
		t.Fatalf("CSV after the kill has %d records, want the header and some but not all rows", len(recs))
	}
	for _, r := range recs[1:] {
		if r[1] != "graded" || r[2] != "60" {
			t.Errorf("row %v: want a graded full-marks row", r)
		}
	}
	if b := readBook(t, out+".json"); b.Status != "running" || b.Summary.Submissions != 60 {
		t.Errorf("OUT.json after the kill: status %q, summary %+v; want running, 60 submissions", b.Status, b.Summary)
	}
}

// An interrupted run keeps what it graded, and its closing line and JSON
// count what happened.
func TestGradeInterruptedSaysWhatHappened(t *testing.T) {
	class := copyClass(t, 3, "passing")
	out := filepath.Join(t.TempDir(), "book")
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errors.New("interrupt signal received"))
	t.Chdir(repoRoot(t))
	var stdout, stderr bytes.Buffer
	if code := Run(ctx, []string{"grade", "--out", out, class}, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "graded 0 of 3 submissions; 3 not graded (interrupted)") {
		t.Errorf("closing line %q", stdout.String())
	}
	b := readBook(t, out+".json")
	if b.Status != "incomplete" || b.Summary != (gradebook.Summary{Submissions: 3, Interrupted: 3}) {
		t.Errorf("JSON: status %s, summary %+v", b.Status, b.Summary)
	}
	for _, r := range b.Submissions {
		if r.Status != gradebook.Interrupted || !strings.Contains(r.Error, "interrupt signal received") {
			t.Errorf("row %s: %s %q", r.Submission, r.Status, r.Error)
		}
	}
}

func TestProgressLineEstimatesWhatIsLeft(t *testing.T) {
	for _, tc := range []struct {
		done, total int
		elapsed     time.Duration
		want, not   string
	}{
		{2, 10, 20 * time.Second, "2/10 20s", "left"},
		{5, 10, 50 * time.Second, "5/10 50s, about 50s left", ""},
		{10, 10, 100 * time.Second, "10/10 1m40s", "left"},
	} {
		got := progressLine(tc.done, tc.total, tc.elapsed)
		if !strings.Contains(got, tc.want) || tc.not != "" && strings.Contains(got, tc.not) {
			t.Errorf("progressLine(%d, %d, %s) = %q, want %q", tc.done, tc.total, tc.elapsed, got, tc.want)
		}
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}
