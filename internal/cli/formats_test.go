package cli

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
)

// formatCases are the runs every format is rendered for: a clean
// submission and one with findings of every severity.
var formatCases = []struct {
	name string
	args []string
}{
	{"passing", []string{"fixtures/passing/labs"}},
	{"docker-hygiene", []string{"--lab", "docker", "fixtures/docker-hygiene/labs"}},
}

func TestFormatsGolden(t *testing.T) {
	root := repoRoot(t)
	for _, format := range []string{"sarif", "junit", "github", "markdown", "classroom"} {
		for _, tc := range formatCases {
			t.Run(format+"/"+tc.name, func(t *testing.T) {
				out, stderr, code := runIn(t, root, append([]string{"--format", format}, tc.args...)...)
				if code == ExitError {
					t.Fatalf("exit 2: %s", stderr)
				}
				golden(t, filepath.Join("testdata", "formats", tc.name+"."+format), out)
			})
		}
	}
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	for _, tc := range formatCases {
		out, stderr, _ := runIn(t, repoRoot(t), append([]string{"--format", "sarif"}, tc.args...)...)
		rep, err := sarif.FromString(out)
		if err != nil {
			t.Fatalf("%s: not SARIF: %v (%s)", tc.name, err, stderr)
		}
		if err := rep.Validate(); err != nil {
			t.Errorf("%s: SARIF 2.1.0 schema: %v", tc.name, err)
		}
		run := rep.Runs[0]
		ids := map[string]bool{}
		for _, r := range run.Tool.Driver.Rules {
			ids[*r.ID] = true
			if r.HelpURI == nil || !strings.Contains(*r.HelpURI, "#"+strings.ToLower(*r.ID)) || r.Help == nil {
				t.Errorf("rule %s lacks help text or helpUri", *r.ID)
			}
		}
		for _, res := range run.Results {
			if res.RuleID == nil || !ids[*res.RuleID] || res.RuleIndex < 0 {
				t.Errorf("result %v does not reference a rule descriptor", res.RuleID)
			}
		}
	}
}

func TestJUnitParses(t *testing.T) {
	out, _, _ := runIn(t, repoRoot(t), "--format", "junit", "--lab", "docker", "fixtures/docker-hygiene/labs")
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Skipped  int `xml:"skipped,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("JUnit output is not XML: %v", err)
	}
	failures := 0
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Failure != nil {
				failures++
			}
		}
	}
	// The same run as a JSON report: one test case per check, failures
	// and skips as the report's check statuses say.
	jsonOut, _, _ := runIn(t, repoRoot(t), "--format", "json", "--lab", "docker", "fixtures/docker-hygiene/labs")
	rep := decodeReport(t, jsonOut)
	checks, failing, skipped := 0, 0, 0
	for _, l := range rep.Labs {
		for _, c := range l.Checks {
			checks++
			switch c.Status {
			case "fail", "error":
				failing++
			case "skip":
				skipped++
			}
		}
	}
	if failing == 0 || skipped == 0 {
		t.Fatalf("the fixture must fail and skip some checks for this test to mean anything: %+v", rep.Labs)
	}
	if doc.Tests != checks || doc.Failures != failures || failures != failing || doc.Skipped != skipped {
		t.Errorf("tests=%d failures=%d counted=%d skipped=%d, want %d tests with %d failures and %d skipped, as the report's checks", doc.Tests, doc.Failures, failures, doc.Skipped, checks, failing, skipped)
	}
}

func TestClassroomShape(t *testing.T) {
	out, _, _ := runIn(t, repoRoot(t), "--format", "classroom", "--lab", "docker", "fixtures/docker-hygiene/labs")
	var res struct {
		Version  int      `json:"version"`
		Status   string   `json:"status"`
		MaxScore *float64 `json:"max_score"`
		Tests    []struct {
			Name    string   `json:"name"`
			Status  string   `json:"status"`
			Score   *float64 `json:"score"`
			Message *string  `json:"message"`
		} `json:"tests"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&res); err != nil {
		t.Fatal(err)
	}
	// The same run as a JSON report: the Classroom result must carry one
	// test per check of the rubric and the report's points.
	jsonOut, _, _ := runIn(t, repoRoot(t), "--format", "json", "--lab", "docker", "fixtures/docker-hygiene/labs")
	rep := decodeReport(t, jsonOut)
	checks := 0
	for _, l := range rep.Labs {
		checks += len(l.Checks)
	}
	if res.Version != 1 || res.Status != "fail" || res.MaxScore == nil || *res.MaxScore != rep.Score.Max || len(res.Tests) != checks {
		t.Fatalf("classroom result = %+v; want max %g and %d tests, one per check", res, rep.Score.Max, checks)
	}
	total := 0.0
	for _, tc := range res.Tests {
		if tc.Score == nil || tc.Message == nil || (tc.Status != "pass" && tc.Status != "fail" && tc.Status != "error") {
			t.Errorf("test %q lacks score/message or has status %q", tc.Name, tc.Status)
		}
		total += *tc.Score
		if strings.Contains(tc.Name, "DYN-") && !strings.Contains(*tc.Message, "labcheck verify") {
			t.Errorf("dynamic check %q without verify says %q, want it to name labcheck verify", tc.Name, *tc.Message)
		}
	}
	if total != rep.Score.Points {
		t.Errorf("scores add up to %g, want %g (the report's points)", total, rep.Score.Points)
	}
}

func TestOutputFiles(t *testing.T) {
	dir := t.TempDir()
	sarifFile, mdFile := filepath.Join(dir, "out.sarif"), filepath.Join(dir, "summary.md")
	out, stderr, code := runIn(t, repoRoot(t), "--no-color", "--lab", "docker",
		"--output", "sarif="+sarifFile, "--output", "markdown="+mdFile, "fixtures/docker-hygiene/labs")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "score") {
		t.Errorf("terminal output lacks the text report:\n%s", out)
	}
	for _, f := range []string{sarifFile, mdFile} {
		if data, err := os.ReadFile(f); err != nil || len(data) == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
}

// TestRulesReferenceIsCurrent keeps docs/rules.md, which SARIF's helpUri
// and the Markdown report link to, in step with the policies' metadata.
func TestRulesReferenceIsCurrent(t *testing.T) {
	root := repoRoot(t)
	out, stderr, code := runIn(t, root, "rules", "--format", "markdown")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden(t, filepath.Join("..", "..", "docs", "rules.md"), out)
}

// TestClassroomIgnoresWaivers: a Classroom result is a grade, so a
// student's waiver comment does not buy the check's points there (SPEC:
// Suppression and waivers), while the student's own text run honours it;
// the instructor's config may allow waivers.
func TestClassroomIgnoresWaivers(t *testing.T) {
	root := repoRoot(t)
	k8s014 := func(format string, extra ...string) string {
		t.Helper()
		args := append([]string{"--format", format, "--lab", "kubernetes"}, extra...)
		out, stderr, _ := runIn(t, root, append(args, "fixtures/k8s-waiver/labs")...)
		if format == "json" {
			var rep struct {
				Labs []struct {
					Checks []struct{ Rule, Status string }
				}
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
			for _, c := range rep.Labs[0].Checks {
				if c.Rule == "K8S-014" {
					return c.Status
				}
			}
			return "missing"
		}
		var res struct {
			Tests []struct{ Name, Status string }
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		for _, tc := range res.Tests {
			if strings.Contains(tc.Name, "K8S-014") {
				return tc.Status
			}
		}
		return "missing"
	}
	if got := k8s014("json"); got != "pass" {
		t.Errorf("json: K8S-014 %s, want pass (the student's own run honours the waiver)", got)
	}
	if got := k8s014("classroom"); got != "fail" {
		t.Errorf("classroom: K8S-014 %s, want fail (waivers do not count)", got)
	}
	cfg := filepath.Join(t.TempDir(), "instructor.yaml")
	if err := os.WriteFile(cfg, []byte("grading:\n  allowWaivers: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := k8s014("classroom", "--config", cfg); got != "pass" {
		t.Errorf("classroom with allowWaivers: true: K8S-014 %s, want pass", got)
	}
}
