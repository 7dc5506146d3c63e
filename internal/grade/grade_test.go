package grade

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/labcheck/labcheck/internal/finding"
)

type rules map[string]RuleInfo

func (r rules) RuleInfo(id string) (RuleInfo, bool) { i, ok := r[id]; return i, ok }

func static(lab finding.Lab) RuleInfo { return RuleInfo{Lab: lab, Phase: finding.Static} }

// known gives DOCKER-000 the parse-error role by metadata, and K8S-000 no
// role although its id looks like one: meaning comes from metadata, not
// from the id.
var known = rules{
	"DOCKER-000": {Lab: finding.Docker, Phase: finding.Static, ParseError: true},
	"DOCKER-001": static(finding.Docker), "DOCKER-002": static(finding.Docker),
	"K8S-000": static(finding.Kubernetes), "K8S-001": static(finding.Kubernetes),
}

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
		{"a parse error only as a warning", []finding.Finding{f(finding.Docker, "DOCKER-000", finding.Warning, false)}, Options{Checked: all, Submitted: all}, Score{9, 9, 9}, "pass pass pass"},
		{"an error of a rule without the parse-error role", []finding.Finding{f(finding.Kubernetes, "K8S-000", finding.Error, false)}, Options{Checked: all, Submitted: all}, Score{9, 9, 9}, "pass pass pass"},
		{"not submitted", nil, Options{Checked: all, Submitted: map[finding.Lab]bool{finding.Docker: true}}, Score{5, 9, 9}, "pass pass fail"},
		{"another lab's finding", []finding.Finding{f(finding.Kubernetes, "DOCKER-002", finding.Error, false)}, Options{Checked: all, Submitted: all}, Score{9, 9, 9}, "pass pass pass"},
		{"lab not checked", nil, Options{Checked: map[finding.Lab]bool{finding.Docker: true}, Submitted: all}, Score{5, 5, 5}, "pass pass"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertGrades(t, known, r.Grade(tc.findings, tc.opts), tc.want, tc.statuses)
		})
	}
}

// assertGrades checks the score and every check's status, in rubric order,
// and that each check carries its rule's phase.
func assertGrades(t *testing.T, rs RuleSet, g Grades, want Score, statuses string) {
	t.Helper()
	if diff := cmp.Diff(want, g.Score); diff != "" {
		t.Errorf("score (-want +got):\n%s", diff)
	}
	var st []string
	for _, l := range g.Labs {
		for _, c := range l.Checks {
			st = append(st, string(c.Status))
			if info, _ := rs.RuleInfo(c.Rule); c.Phase != info.Phase {
				t.Errorf("%s: phase %s, want %s", c.Rule, c.Phase, info.Phase)
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
	dynamic := func(requires ...string) RuleInfo {
		return RuleInfo{Lab: finding.Docker, Phase: finding.Dynamic, Requires: requires}
	}
	// DYN-002 (the image runs as non-root) needs DYN-001 (it builds).
	rs := rules{"DOCKER-001": static(finding.Docker), "DYN-001": dynamic(), "DYN-002": dynamic("DYN-001")}
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
	verified := func(st1, st2 Status) Options {
		return Options{Checked: docker, Submitted: docker, Verified: true, Dynamic: dyn(st1, st2)}
	}
	for _, tc := range []struct {
		name     string
		findings []finding.Finding
		opts     Options
		want     Score
		statuses string
		reason   string // of DYN-002
	}{
		{"static run: dynamic checks skipped, reachable lowered", nil, Options{Checked: docker, Submitted: docker}, Score{4, 10, 4}, "pass skip skip", ""},
		{"static run, lab not handed in", nil, Options{Checked: docker, Submitted: map[finding.Lab]bool{}}, Score{0, 10, 4}, "fail skip skip", ""},
		{"verified, every step passed", nil, verified(Pass, Pass), Score{10, 10, 10}, "pass pass pass", ""},
		{"verified, a step failed", []finding.Finding{failed}, verified(Fail, Skip), Score{4, 10, 8}, "pass fail skip", ""},
		{"verified, a finding against a passed step", []finding.Finding{failed}, verified(Pass, Pass), Score{4, 10, 10}, "pass fail fail", "not awarded: its precondition DYN-001 did not pass (fail)"},
		{"verified, a step could not run", []finding.Finding{notRun}, verified(Pass, Skip), Score{8, 10, 8}, "pass pass skip", ""},
		{"verified, a step skipped after the submission failed", []finding.Finding{failed, blocked}, verified(Fail, Skip), Score{4, 10, 10}, "pass fail fail", ""},
		{"verified, a step with no outcome earns nothing", nil, verified(Pass, ""), Score{8, 10, 8}, "pass pass skip", ""},
		{"verified, the cluster broke", nil, verified(Error, Error), Score{4, 10, 10}, "pass error error", ""},
		// No vacuous pass: a check reported passed whose precondition did
		// not happen is not awarded, whatever the dynamic phase said.
		{"verified, passed although its precondition failed", []finding.Finding{failed}, verified(Fail, Pass), Score{4, 10, 10}, "pass fail fail", "not awarded: its precondition DYN-001 did not pass (fail)"},
		{"verified, passed although its precondition could not run", nil, verified(Skip, Pass), Score{4, 10, 4}, "pass skip skip", "not awarded: its precondition DYN-001 did not pass (skip)"},
		{"verified, passed although its precondition was not judged", nil, verified(Error, Pass), Score{4, 10, 10}, "pass error error", "not awarded: its precondition DYN-001 did not pass (error)"},
		{"verified, passed although its precondition has no step", nil, verified("", Pass), Score{4, 10, 4}, "pass skip skip", "not awarded: its precondition DYN-001 did not pass (skip)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := r.Grade(tc.findings, tc.opts)
			assertGrades(t, rs, g, tc.want, tc.statuses)
			if got := g.Labs[0].Checks[2].Reason; got != tc.reason {
				t.Errorf("DYN-002's reason = %q, want %q", got, tc.reason)
			}
		})
	}
}
