package grade

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/labcheck/labcheck/internal/finding"
)

type rules map[string]finding.Lab

func (r rules) RuleLab(id string) (finding.Lab, bool) { l, ok := r[id]; return l, ok }

var known = rules{"DOCKER-000": finding.Docker, "DOCKER-001": finding.Docker, "DOCKER-002": finding.Docker, "K8S-001": finding.Kubernetes}

const rubric = `
version: 1
name: t
labs:
  - id: docker
    title: Docker
    max: 5
    checks:
      - {rule: DOCKER-001, points: 2}
      - {rule: DOCKER-002, points: 3}
  - id: kubernetes
    title: Kubernetes
    max: 4
    checks:
      - {rule: K8S-001, points: 4}
`

func TestParseRubricRefusesBadRubrics(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"unknown rule", strings.Replace(rubric, "DOCKER-002", "DOCKER-099", 1), "unknown rule DOCKER-099"},
		{"points do not add up", strings.Replace(rubric, "max: 5", "max: 6", 1), "checks add up to 5 points, but the lab's max is 6"},
		{"rule of another lab", strings.Replace(rubric, "K8S-001", "DOCKER-000", 1), "rule DOCKER-000 belongs to lab docker"},
		{"unknown key", rubric + "extra: 1\n", `unknown field "extra"`},
		{"unknown lab", strings.Replace(rubric, "id: docker", "id: podman", 1), `unknown lab "podman"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRubric("r.yaml", []byte(tc.src), known)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestGrade(t *testing.T) {
	r, err := ParseRubric("r.yaml", []byte(rubric), known)
	if err != nil {
		t.Fatal(err)
	}
	all := map[finding.Lab]bool{finding.Docker: true, finding.Kubernetes: true}
	f := func(lab finding.Lab, rule string, sev finding.Severity, suppressed bool) finding.Finding {
		return finding.Finding{Lab: lab, Rule: rule, Severity: sev, Suppressed: suppressed}
	}
	for _, tc := range []struct {
		name     string
		findings []finding.Finding
		opts     Options
		want     Score
		statuses string
	}{
		{"clean", nil, Options{Checked: all, Submitted: all}, Score{9, 9, 9}, "pass pass pass"},
		{"one failure", []finding.Finding{f(finding.Docker, "DOCKER-002", finding.Error, false)}, Options{Checked: all, Submitted: all}, Score{6, 9, 9}, "pass fail pass"},
		{"waived and allowed", []finding.Finding{f(finding.Docker, "DOCKER-002", finding.Error, true)}, Options{Checked: all, Submitted: all, AllowWaivers: true}, Score{9, 9, 9}, "pass pass pass"},
		{"waived but not allowed", []finding.Finding{f(finding.Docker, "DOCKER-002", finding.Error, true)}, Options{Checked: all, Submitted: all}, Score{6, 9, 9}, "pass fail pass"},
		{"parse error", []finding.Finding{f(finding.Docker, "DOCKER-000", finding.Error, false)}, Options{Checked: all, Submitted: all}, Score{4, 9, 9}, "error error pass"},
		{"not submitted", nil, Options{Checked: all, Submitted: map[finding.Lab]bool{finding.Docker: true}}, Score{5, 9, 9}, "pass pass fail"},
		{"another lab's finding", []finding.Finding{f(finding.Kubernetes, "DOCKER-002", finding.Error, false)}, Options{Checked: all, Submitted: all}, Score{9, 9, 9}, "pass pass pass"},
		{"lab not checked", nil, Options{Checked: map[finding.Lab]bool{finding.Docker: true}, Submitted: all}, Score{5, 5, 5}, "pass pass"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertGrades(t, r.Grade(tc.findings, tc.opts), tc.want, tc.statuses)
		})
	}
}

// assertGrades checks the score and every check's status, in rubric order,
// and that each check carries its rule's phase.
func assertGrades(t *testing.T, g Grades, want Score, statuses string) {
	t.Helper()
	if diff := cmp.Diff(want, g.Score); diff != "" {
		t.Errorf("score (-want +got):\n%s", diff)
	}
	var st []string
	for _, l := range g.Labs {
		for _, c := range l.Checks {
			st = append(st, string(c.Status))
			if p := finding.PhaseOf(c.Rule); c.Phase != p {
				t.Errorf("%s: phase %s, want %s", c.Rule, c.Phase, p)
			}
		}
	}
	if got := strings.Join(st, " "); got != statuses {
		t.Errorf("statuses = %q, want %q", got, statuses)
	}
}

// A rubric with a static and two dynamic checks for one lab.
const dynamicRubric = `
version: 1
name: t
labs:
  - id: docker
    title: Docker
    max: 10
    checks:
      - {rule: DOCKER-001, points: 4}
      - {rule: DYN-001, points: 4}
      - {rule: DYN-002, points: 2}
`

func TestGradeDynamicChecks(t *testing.T) {
	rs := rules{"DOCKER-001": finding.Docker, "DYN-001": finding.Docker, "DYN-002": finding.Docker}
	r, err := ParseRubric("r.yaml", []byte(dynamicRubric), rs)
	if err != nil {
		t.Fatal(err)
	}
	docker := map[finding.Lab]bool{finding.Docker: true}
	dyn := func(st1, st2 Status) map[LabRule]Status {
		m := map[LabRule]Status{}
		if st1 != "" {
			m[LabRule{finding.Docker, "DYN-001"}] = st1
		}
		if st2 != "" {
			m[LabRule{finding.Docker, "DYN-002"}] = st2
		}
		return m
	}
	notRun := finding.Finding{Lab: finding.Docker, Rule: "DYN-002", Severity: finding.Info, Message: "not run: no Docker"}
	failed := finding.Finding{Lab: finding.Docker, Rule: "DYN-001", Severity: finding.Error, Message: "step 3/5 failed"}
	blocked := finding.Finding{Lab: finding.Docker, Rule: "DYN-002", Severity: finding.Error, Message: "not run: the image did not build"}
	for _, tc := range []struct {
		name     string
		findings []finding.Finding
		opts     Options
		want     Score
		statuses string
	}{
		{"static run: dynamic checks skipped, reachable lowered", nil, Options{Checked: docker, Submitted: docker}, Score{4, 10, 4}, "pass skip skip"},
		{"static run, lab not handed in", nil, Options{Checked: docker, Submitted: map[finding.Lab]bool{}}, Score{0, 10, 4}, "fail skip skip"},
		{"verified, every step passed", nil, Options{Checked: docker, Submitted: docker, Verified: true, Dynamic: dyn(Pass, Pass)}, Score{10, 10, 10}, "pass pass pass"},
		{"verified, a step failed", []finding.Finding{failed}, Options{Checked: docker, Submitted: docker, Verified: true, Dynamic: dyn(Fail, Pass)}, Score{6, 10, 10}, "pass fail pass"},
		{"verified, a finding against a passed step", []finding.Finding{failed}, Options{Checked: docker, Submitted: docker, Verified: true, Dynamic: dyn(Pass, Pass)}, Score{6, 10, 10}, "pass fail pass"},
		{"verified, a step could not run", []finding.Finding{notRun}, Options{Checked: docker, Submitted: docker, Verified: true, Dynamic: dyn(Pass, Skip)}, Score{8, 10, 8}, "pass pass skip"},
		{"verified, a step skipped after the submission failed", []finding.Finding{failed, blocked}, Options{Checked: docker, Submitted: docker, Verified: true, Dynamic: dyn(Fail, Skip)}, Score{4, 10, 10}, "pass fail fail"},
		{"verified, a step with no outcome earns nothing", nil, Options{Checked: docker, Submitted: docker, Verified: true, Dynamic: dyn(Pass, "")}, Score{8, 10, 8}, "pass pass skip"},
		{"verified, the cluster broke", nil, Options{Checked: docker, Submitted: docker, Verified: true, Dynamic: dyn(Error, Error)}, Score{4, 10, 10}, "pass error error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertGrades(t, r.Grade(tc.findings, tc.opts), tc.want, tc.statuses)
		})
	}
}
