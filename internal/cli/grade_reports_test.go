package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/labcheck/labcheck/internal/gradebook"
)

// reportClass is a class of fixtures, each in a folder named after it,
// and, in another folder, the JSON report `labcheck --format json` writes
// for each, as a student's own run (or the class workflow) would with a
// config that does not count waivers.
func reportClass(t *testing.T, fixtures ...string) (class, reports string) {
	t.Helper()
	class, reports = t.TempDir(), t.TempDir()
	cfg := filepath.Join(t.TempDir(), "labcheck.yaml")
	if err := os.WriteFile(cfg, []byte("grading:\n  allowWaivers: false\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range fixtures {
		if out, err := exec.Command("cp", "-r", filepath.Join(repoRoot(t), "fixtures", f), filepath.Join(class, f)).CombinedOutput(); err != nil {
			t.Fatalf("cp: %v %s", err, out)
		}
		stdout, stderr, code := runIn(t, class, "--format", "json", "--config", cfg, f)
		if code == ExitError {
			t.Fatalf("labcheck %s: %s", f, stderr)
		}
		if err := os.WriteFile(filepath.Join(reports, f+".json"), []byte(stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return class, reports
}

// withoutPaths is a gradebook without where each row came from (a folder
// or a report file): what must be the same either way.
func withoutPaths(b gradebook.Book) gradebook.Book {
	for i := range b.Submissions {
		b.Submissions[i].Path = ""
	}
	return b
}

// Grading from the JSON reports that labcheck wrote for each submission
// gives the same gradebook as grading the folders, and so does a mix of
// both in one call.
func TestGradeFromReportsMatchesFolders(t *testing.T) {
	fixtures := []string{"passing", "docker-latest", "k8s-insecure", "k8s-waiver", "helm-hardcoded", "istio-allow-all", "docker-parse-error"}
	class, reports := reportClass(t, fixtures...)
	out := t.TempDir()
	grade := func(name string, args ...string) (csv []byte, book gradebook.Book) {
		t.Helper()
		base := filepath.Join(out, name)
		stdout, stderr, code := runIn(t, class, append([]string{"grade", "--out", base}, args...)...)
		if code != ExitOK {
			t.Fatalf("grade %s: exit %d: %s", args, code, stderr)
		}
		if !strings.Contains(stdout, "graded 7 of 7 submissions") {
			t.Errorf("grade %s says %q", args, stdout)
		}
		csv, err := os.ReadFile(base + ".csv")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(base + ".html"); err != nil {
			t.Errorf("grade %s wrote no class report: %v", args, err)
		}
		return csv, withoutPaths(readBook(t, base+".json"))
	}
	folderCSV, folderBook := grade("folders", fixtures...)
	reportCSV, reportBook := grade("reports", "--reports", reports)
	var mixed []string
	for i, f := range fixtures {
		if i%2 == 0 {
			mixed = append(mixed, f)
		} else {
			mixed = append(mixed, "--reports", filepath.Join(reports, f+".json"))
		}
	}
	mixedCSV, mixedBook := grade("mixed", mixed...)

	if folderBook.Summary.Graded != len(fixtures) {
		t.Fatalf("graded %d of %d folders", folderBook.Summary.Graded, len(fixtures))
	}
	if diff := cmp.Diff(string(folderCSV), string(reportCSV)); diff != "" {
		t.Errorf("CSV from reports differs from the folders' (-folders +reports):\n%s", diff)
	}
	if diff := cmp.Diff(string(folderCSV), string(mixedCSV)); diff != "" {
		t.Errorf("CSV from a mix differs from the folders' (-folders +mixed):\n%s", diff)
	}
	if diff := cmp.Diff(folderBook, reportBook); diff != "" {
		t.Errorf("gradebook from reports differs from the folders' (-folders +reports):\n%s", diff)
	}
	if diff := cmp.Diff(folderBook, mixedBook); diff != "" {
		t.Errorf("gradebook from a mix differs from the folders' (-folders +mixed):\n%s", diff)
	}
}

// A report that cannot count in this gradebook is a row with the reason,
// and the others are graded.
func TestGradeRefusesReportsThatDoNotCount(t *testing.T) {
	class, reports := reportClass(t, "passing")
	static, _, _ := runIn(t, class, "--format", "json", "--rubric", "module02-static", "passing")
	for name, content := range map[string]string{
		"static.json":    static,
		"truncated.json": static[:len(static)/2],
		"nothing.json":   "labcheck wrote no report for org/lab-eve: its job failed or timed out (see the job's log)\n",
	} {
		if err := os.WriteFile(filepath.Join(reports, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "book")
	stdout, stderr, code := runIn(t, class, "grade", "--out", out, "--reports", reports)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "graded 1 of 4 submissions; 3 could not be graded") {
		t.Errorf("closing line = %q", stdout)
	}
	book := readBook(t, out+".json")
	want := map[string]string{
		"nothing":   `"labcheck wrote no report for org/lab-eve`,
		"passing":   "",
		"static":    "was graded with rubric module02-static, not module02",
		"truncated": "is not a labcheck JSON report",
	}
	for _, r := range book.Submissions {
		w, ok := want[r.Submission]
		switch {
		case !ok:
			t.Errorf("unexpected row %s", r.Submission)
		case w == "" && (r.Status != gradebook.Graded || r.Error != ""):
			t.Errorf("%s: %s %q, want graded", r.Submission, r.Status, r.Error)
		case w != "" && (r.Status != gradebook.Failed || !strings.Contains(r.Error, w) || r.Points != 0):
			t.Errorf("%s: %s %q (%v points), want failed saying %q", r.Submission, r.Status, r.Error, r.Points, w)
		}
	}

	// --no-html leaves the class report out; --summary appends the table
	// to a job summary that already holds another step's.
	out = filepath.Join(t.TempDir(), "book")
	summary := filepath.Join(t.TempDir(), "summary.md")
	if err := os.WriteFile(summary, []byte("## an earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code = runIn(t, class, "grade", "--out", out, "--no-html", "--summary", summary, "--reports", reports)
	if code != ExitOK || !strings.HasSuffix(strings.TrimSpace(strings.Split(stdout, "\n")[0]), out+".csv and "+out+".json") {
		t.Errorf("--no-html: exit %d, %q %s", code, stdout, stderr)
	}
	if _, err := os.Stat(out + ".html"); err == nil {
		t.Error("--no-html wrote the class report")
	}
	md, err := os.ReadFile(summary)
	if err != nil || !strings.HasPrefix(string(md), "## an earlier step\n## labcheck class report") || !strings.Contains(string(md), "| passing | 60 / 100 |") {
		t.Errorf("summary file = %q (%v)", md, err)
	}

	// A folder and a report of one name: which one counts is not guessed.
	_, stderr, code = runIn(t, class, "grade", "--out", out, "--reports", filepath.Join(reports, "passing.json"), "passing")
	if code != ExitError || !strings.Contains(stderr, "passing is both a folder") {
		t.Errorf("a folder and a report named passing: exit %d, %s", code, stderr)
	}
}
