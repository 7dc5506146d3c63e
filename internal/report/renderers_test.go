package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/grade"
)

// sample is a graded run of the docker lab: one check passed, one failed
// with an error and a suppressed warning, one dynamic check skipped.
func sample() *Report {
	return &Report{
		Version: 1,
		Tool:    Tool{Name: "labcheck", Version: "v0.1.0"},
		Score:   grade.Score{Points: 3, Max: 10, Reachable: 6},
		Rubric:  RubricRef{Name: "module02", Digest: "sha256:00"},
		Labs: []grade.LabScore{{ID: finding.Docker, Title: "Docker multi-stage build", Points: 3, Max: 10, Reachable: 6, Checks: []grade.CheckResult{
			{Rule: "DOCKER-001", Name: "base-image-tagged", Phase: finding.Static, Status: grade.Pass, Points: 3, Max: 3},
			{Rule: "DOCKER-002", Name: "base-image-not-latest", Phase: finding.Static, Status: grade.Fail, Points: 0, Max: 3},
			{Rule: "DYN-001", Name: "image-builds", Phase: finding.Dynamic, Status: grade.Skip, Points: 0, Max: 4},
		}}},
		Findings: []finding.Finding{
			{Rule: "DOCKER-002", Name: "base-image-not-latest", Lab: finding.Docker, Severity: finding.Error, Phase: finding.Static, Message: "FROM alpine:latest | uses latest", File: "labs/docker/Dockerfile", Line: 1},
			{Rule: "DOCKER-011", Name: "apt-lists-removed", Lab: finding.Docker, Severity: finding.Warning, Phase: finding.Static, Message: "apt lists kept", File: "labs/docker/Dockerfile", Line: 2, Suppressed: true, Reason: "needed"},
		},
	}
}

func render(t *testing.T, format string, o Options, r *Report) string {
	t.Helper()
	rd, err := New(format, o)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := rd.Render(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestText(t *testing.T) {
	out := render(t, "text", Options{FailOn: finding.Error}, sample())
	for _, want := range []string{
		"labs/docker/Dockerfile:1: error [DOCKER-002] FROM alpine:latest | uses latest",
		"labs/docker/Dockerfile:2: suppressed [DOCKER-011] apt lists kept (needed)",
		"docker      Docker multi-stage build      3 / 10   1 of 3 checks pass, 1 skipped",
		"at most 6 of 10 reachable in this run: the dynamic checks need labcheck verify",
		"judged: docker only",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour without Color")
	}
	quiet := render(t, "text", Options{FailOn: finding.Error, Quiet: true}, sample())
	if strings.Contains(quiet, "DOCKER-011") || strings.Contains(quiet, "score") || !strings.Contains(quiet, "DOCKER-002") {
		t.Errorf("quiet shows what is at or above --fail-on only, without the score table:\n%s", quiet)
	}
	if colour := render(t, "text", Options{Color: true}, sample()); !strings.Contains(colour, red+"error"+reset) {
		t.Errorf("colour asked for, not given:\n%q", colour)
	}
}

func TestJSONIsTheContract(t *testing.T) {
	r := sample()
	out := render(t, "json", Options{}, r)
	if again := render(t, "json", Options{}, r); again != out {
		t.Error("the same report rendered twice differs")
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"version", "tool", "score", "rubric", "labs", "findings"} {
		if _, ok := m[key]; !ok {
			t.Errorf("JSON report lacks %q", key)
		}
	}
	if _, ok := m["dynamic"]; ok {
		t.Error("a static run's report carries a dynamic section")
	}
	if strings.Contains(out, `\u003e`) || !strings.Contains(out, "FROM alpine:latest | uses latest") {
		t.Error("messages must be written as they are (no HTML escaping)")
	}
}

func TestJUnitOneCasePerCheck(t *testing.T) {
	var doc junitSuites
	if err := xml.Unmarshal([]byte(render(t, "junit", Options{}, sample())), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 3 || doc.Failures != 1 || doc.Skipped != 1 || len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 3 {
		t.Fatalf("junit = %+v", doc)
	}
	failed := doc.Suites[0].Cases[1]
	if failed.Failure == nil || !strings.Contains(failed.Failure.Body, "FROM alpine:latest") {
		t.Errorf("the failing check's case does not carry its finding: %+v", failed)
	}
}

func TestMarkdown(t *testing.T) {
	out := render(t, "markdown", Options{}, sample())
	if !strings.Contains(out, "## labcheck: 3 / 10 points") || !strings.Contains(out, "| Docker multi-stage build | 3 / 10 |") {
		t.Errorf("score table:\n%s", out)
	}
	if !strings.Contains(out, `FROM alpine:latest \| uses latest`) {
		t.Errorf("a | in a message must not break the table:\n%s", out)
	}
	if strings.Contains(out, "apt lists kept") {
		t.Error("a suppressed finding is listed")
	}
	clean := sample()
	clean.Findings = nil
	if !strings.Contains(render(t, "markdown", Options{}, clean), "No findings.") {
		t.Error("a clean run does not say so")
	}
}

func TestClassroomTotalsThePoints(t *testing.T) {
	var res classroomResult
	if err := json.Unmarshal([]byte(render(t, "classroom", Options{}, sample())), &res); err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for _, tc := range res.Tests {
		total += tc.Score
	}
	if res.Status != "fail" || res.MaxScore != 10 || len(res.Tests) != 3 || total != 3 {
		t.Fatalf("classroom = %+v", res)
	}
	if skipped := res.Tests[2]; skipped.Status != "fail" || !strings.Contains(skipped.Message, "labcheck verify") {
		t.Errorf("a skipped dynamic check reads %+v; Classroom has no skip, so it fails saying why", skipped)
	}
	if failed := res.Tests[1]; failed.Filename != "labs/docker/Dockerfile" || failed.LineNo != 1 {
		t.Errorf("the failing check does not point at its finding: %+v", failed)
	}
}
