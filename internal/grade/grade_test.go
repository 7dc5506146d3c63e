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
		{"clean", nil, Options{Checked: all, Submitted: all}, Score{9, 9}, "pass pass pass"},
		{"one failure", []finding.Finding{f(finding.Docker, "DOCKER-002", finding.Error, false)}, Options{Checked: all, Submitted: all}, Score{6, 9}, "pass fail pass"},
		{"waived and allowed", []finding.Finding{f(finding.Docker, "DOCKER-002", finding.Error, true)}, Options{Checked: all, Submitted: all, AllowWaivers: true}, Score{9, 9}, "pass pass pass"},
		{"waived but not allowed", []finding.Finding{f(finding.Docker, "DOCKER-002", finding.Error, true)}, Options{Checked: all, Submitted: all}, Score{6, 9}, "pass fail pass"},
		{"parse error", []finding.Finding{f(finding.Docker, "DOCKER-000", finding.Error, false)}, Options{Checked: all, Submitted: all}, Score{4, 9}, "error error pass"},
		{"not submitted", nil, Options{Checked: all, Submitted: map[finding.Lab]bool{finding.Docker: true}}, Score{5, 9}, "pass pass fail"},
		{"another lab's finding", []finding.Finding{f(finding.Kubernetes, "DOCKER-002", finding.Error, false)}, Options{Checked: all, Submitted: all}, Score{9, 9}, "pass pass pass"},
		{"lab not checked", nil, Options{Checked: map[finding.Lab]bool{finding.Docker: true}, Submitted: all}, Score{5, 5}, "pass pass"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := r.Grade(tc.findings, tc.opts)
			if diff := cmp.Diff(tc.want, g.Score); diff != "" {
				t.Errorf("score (-want +got):\n%s", diff)
			}
			var st []string
			for _, l := range g.Labs {
				for _, c := range l.Checks {
					st = append(st, string(c.Status))
				}
			}
			if got := strings.Join(st, " "); got != tc.statuses {
				t.Errorf("statuses = %q, want %q", got, tc.statuses)
			}
		})
	}
}
