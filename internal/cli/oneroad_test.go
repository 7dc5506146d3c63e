package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/labcheck/labcheck/internal/gradebook"
	"github.com/labcheck/labcheck/internal/report"
)

// A recorded dynamic phase in which every step passed and nothing was
// found: replayed through labcheck-verify's JSON contract, it adds no
// finding, so verify must grade the static checks as the others do.
const quietDynResult = `{"version": 1,
 "environment": {"provider": "kind", "cluster": "labcheck-0123abcd", "nodes": 5},
 "steps": [
  {"rule": "DYN-001", "lab": "docker", "title": "The Dockerfile builds", "status": "pass", "seconds": 1},
  {"rule": "DYN-011", "lab": "kubernetes", "title": "The API server accepts the manifests", "status": "pass", "seconds": 1}
 ],
 "findings": [],
 "seconds": 2}
`

// TestOneRoad runs the same submissions and configs through labcheck,
// labcheck verify (its dynamic phase replayed from a recorded result) and
// labcheck grade, and requires the same labs, scores and findings from
// each: settings are resolved once and graded by one function.
func TestOneRoad(t *testing.T) {
	root := repoRoot(t)
	for _, tc := range []struct {
		name    string
		fixture string
		config  string
		flags   []string
		check   func(t *testing.T, rep *report.Report)
	}{
		{
			// The reproduction of the drift: the command line's --lab wins
			// over the config's labs (never unioned with them), and the
			// config's ignore applies under every command.
			name: "--lab over the config's labs, the config's ignore everywhere", fixture: "docker-hygiene",
			config: "labs: [kubernetes]\nrubric: module02-static\nignore:\n  - rule: DOCKER-011\n    reason: the course image needs its apt lists\n",
			flags:  []string{"--lab", "docker"},
			check: func(t *testing.T, rep *report.Report) {
				if len(rep.Labs) != 1 || rep.Labs[0].ID != "docker" {
					t.Errorf("labs judged = %v, want docker only", rep.Labs)
				}
				waived := false
				for _, f := range rep.Findings {
					waived = waived || f.Rule == "DOCKER-011" && f.Suppressed
				}
				if !waived {
					t.Error("the config's ignore of DOCKER-011 was not applied")
				}
			},
		},
		{
			name: "student waivers the instructor allows", fixture: "k8s-waiver",
			config: "rubric: module02-static\ngrading:\n  allowWaivers: true\n",
		},
		{
			name: "student waivers the instructor refuses", fixture: "k8s-waiver",
			config: "rubric: module02-static\ngrading:\n  allowWaivers: false\n",
		},
		{
			name: "a whole submission, config labs only", fixture: "passing",
			config: "rubric: module02-static\nlabs: [helm, istio]\n",
			check: func(t *testing.T, rep *report.Report) {
				if len(rep.Labs) != 2 || rep.Score.Points != rep.Score.Max {
					t.Errorf("labs %v, score %+v; want helm and istio at full marks", rep.Labs, rep.Score)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			cfg := filepath.Join(tmp, "instructor.yaml")
			if err := os.WriteFile(cfg, []byte(tc.config), 0o644); err != nil {
				t.Fatal(err)
			}
			sub := filepath.Join(root, "fixtures", tc.fixture)
			args := append([]string{"--config", cfg}, tc.flags...)

			out, stderr, code := runIn(t, root, append(append([]string{"--format", "json"}, args...), sub)...)
			if code == ExitError {
				t.Fatalf("labcheck: exit %d: %s", code, stderr)
			}
			checked := decodeReport(t, out)

			fakeVerify(t, quietDynResult, 0)
			out, stderr, code = runIn(t, root, append(append([]string{"verify", "--format", "json"}, args...), sub)...)
			if code == ExitError {
				t.Fatalf("labcheck verify: exit %d: %s", code, stderr)
			}
			verified := decodeReport(t, out)

			book := filepath.Join(tmp, "book")
			if _, stderr, code := runIn(t, root, append(append([]string{"grade", "--out", book}, args...), sub)...); code != ExitOK {
				t.Fatalf("labcheck grade: exit %d: %s", code, stderr)
			}
			graded := gradebookReport(t, book+".json")

			want := comparable(checked)
			for name, rep := range map[string]*report.Report{"verify": verified, "grade": graded} {
				if diff := cmp.Diff(want, comparable(rep)); diff != "" {
					t.Errorf("labcheck and labcheck %s disagree (-labcheck +%s):\n%s", name, name, diff)
				}
			}
			if tc.check != nil {
				tc.check(t, checked)
			}
		})
	}
}

// comparable is what must agree between the commands: the score, each
// lab's checks and every finding. Dynamic steps (verify only) are left out.
func comparable(rep *report.Report) any {
	return struct {
		Score    any
		Labs     any
		Findings any
		Rubric   any
	}{rep.Score, rep.Labs, rep.Findings, rep.Rubric}
}

func decodeReport(t *testing.T, out string) *report.Report {
	t.Helper()
	var rep report.Report
	if err := json.NewDecoder(strings.NewReader(out)).Decode(&rep); err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	return &rep
}

func gradebookReport(t *testing.T, path string) *report.Report {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var book gradebook.Book
	if err := json.Unmarshal(data, &book); err != nil {
		t.Fatal(err)
	}
	if len(book.Submissions) != 1 || book.Submissions[0].Report == nil {
		t.Fatalf("gradebook %s: want one graded submission with its report, got %+v", path, book.Submissions)
	}
	return book.Submissions[0].Report
}
