package verify

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/labcheck/labcheck/internal/dynamic"
	"github.com/labcheck/labcheck/internal/finding"
)

// recorded is a run's recorded outcome of one check.
type recorded struct {
	status dynamic.Status
	sev    finding.Severity // of its finding, when it has one
	detail string
}

// replay records the outcomes as a run would (a step and, unless it
// passed, a finding) and applies the preconditions.
func replay(t *testing.T, checks []dynamic.Check, outcomes map[string]recorded) *dynamic.Result {
	t.Helper()
	r := newRunner(io.Discard)
	for _, c := range checks {
		o, ok := outcomes[c.ID]
		if !ok {
			o = recorded{status: dynamic.Pass, detail: "proven"}
		}
		r.res.Steps = append(r.res.Steps, dynamic.Step{Rule: c.ID, Lab: c.Lab, Title: c.Title, Status: o.status, Detail: o.detail})
		if o.status != dynamic.Pass {
			r.res.Findings = append(r.res.Findings, dynamic.Finding{Rule: c.ID, Lab: c.Lab, Message: o.detail, File: "labs/" + c.ID + ".yaml", Line: 7, Severity: o.sev})
		}
	}
	r.award(catalogRequires)
	return r.res
}

func stepOf(res *dynamic.Result, id string) dynamic.Step {
	for _, s := range res.Steps {
		if s.Rule == id {
			return s
		}
	}
	return dynamic.Step{}
}

func findingsOf(res *dynamic.Result, id string) []dynamic.Finding {
	var out []dynamic.Finding
	for _, f := range res.Findings {
		if f.Rule == id {
			out = append(out, f)
		}
	}
	return out
}

// TestNoVacuousPass: for every dynamic check of the catalog and every
// precondition it states, a recorded run where that precondition did not
// happen never awards the check. How it did not happen decides how the
// check is reported: the submission failed it (failed, or skipped after
// its own earlier failure): not awarded, a failure at the precondition's
// line; labcheck could not judge it: not judged (error); the environment
// could not run it: not run (skip). A run where every precondition passed
// keeps the check's own outcome.
func TestNoVacuousPass(t *testing.T) {
	checks, err := dynamic.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	all := replay(t, checks, nil)
	for _, c := range checks {
		if st := stepOf(all, c.ID); st.Status != dynamic.Pass {
			t.Errorf("%s: every precondition passed, yet %s: %s", c.ID, st.Status, st.Detail)
		}
	}
	cases := []struct {
		name   string
		pre    recorded
		status dynamic.Status
		prefix string
		sev    finding.Severity
	}{
		{"failed", recorded{dynamic.Fail, "", "StatefulSet minio/minio: 0 of 4 pods Ready after 47s"}, dynamic.Fail, "not awarded: ", finding.Error},
		{"skipped after the submission's own failure", recorded{dynamic.Skip, finding.Error, "not run: the security gate refused the manifests"}, dynamic.Fail, "not awarded: ", finding.Error},
		{"not judged", recorded{dynamic.Error, "", "the API server did not answer"}, dynamic.Error, "not judged: ", finding.Info},
		{"not run by the environment", recorded{dynamic.Skip, finding.Info, "not run: the cluster has 1 node"}, dynamic.Skip, "not run: ", finding.Info},
	}
	covered := 0
	for _, c := range checks {
		for _, req := range c.Requires {
			covered++
			for _, tc := range cases {
				t.Run(c.ID+"/"+req+"/"+tc.name, func(t *testing.T) {
					res := replay(t, checks, map[string]recorded{req: tc.pre})
					st := stepOf(res, c.ID)
					pre, _ := dynamic.Lookup(req)
					want := fmt.Sprintf("%s%s (%s) did not happen because %s", tc.prefix, req, pre.Title, strings.TrimPrefix(tc.pre.detail, "not run: "))
					if st.Status != tc.status || st.Detail != want {
						t.Errorf("%s is %s %q\nwant %s %q", c.ID, st.Status, st.Detail, tc.status, want)
					}
					fs := findingsOf(res, c.ID)
					if len(fs) != 1 || fs[0].Message != want || fs[0].Severity != tc.sev || fs[0].File != "labs/"+req+".yaml" || fs[0].Line != 7 {
						t.Errorf("%s's findings %+v: want one %s at the precondition's labs/%s.yaml:7", c.ID, fs, tc.sev, req)
					}
				})
			}
		}
	}
	if covered == 0 {
		t.Fatal("the catalog states no precondition")
	}
}

// TestPreconditionsChain: a failure early in the chain is named as the
// reason by every check after it, and a check that failed on its own
// keeps its own failure.
func TestPreconditionsChain(t *testing.T) {
	checks, err := dynamic.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	// DYN-015 "the member comes back on its data" needs DYN-014's deleted
	// member: the vacuous pass.
	if c, _ := dynamic.Lookup("DYN-015"); !slices.Contains(c.Requires, "DYN-014") {
		t.Fatalf("DYN-015 requires %v: it must require DYN-014", c.Requires)
	}
	res := replay(t, checks, map[string]recorded{
		"DYN-012": {dynamic.Fail, "", "StatefulSet minio/minio: 0 of 4 pods Ready after 47s (labcheck stopped waiting: this will not get better)\n  why: …"},
		"DYN-013": {dynamic.Skip, finding.Error, "not run: the workloads did not become Ready"},
		"DYN-016": {dynamic.Fail, "", "its own failure"},
	})
	for _, id := range []string{"DYN-013", "DYN-014", "DYN-015"} {
		st := stepOf(res, id)
		if st.Status != dynamic.Fail || !strings.HasPrefix(st.Detail, "not awarded: DYN-012 (") || !strings.HasSuffix(st.Detail, "because StatefulSet minio/minio: 0 of 4 pods Ready after 47s (labcheck stopped waiting: this will not get better)") {
			t.Errorf("%s: %s %q", id, st.Status, st.Detail)
		}
		if fs := findingsOf(res, id); len(fs) != 1 || fs[0].File != "labs/DYN-012.yaml" {
			t.Errorf("%s findings %+v", id, fs)
		}
	}
	if st := stepOf(res, "DYN-016"); st.Status != dynamic.Fail || st.Detail != "its own failure" {
		t.Errorf("DYN-016 lost its own failure: %s %q", st.Status, st.Detail)
	}
	if st := stepOf(res, "DYN-001"); st.Status != dynamic.Pass {
		t.Errorf("another lab's check was touched: %+v", st)
	}
}
