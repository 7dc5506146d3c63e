package verify

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/labcheck/labcheck/internal/dynamic"
	"github.com/labcheck/labcheck/internal/finding"
)

// outcome is what a precondition's step came to, for its dependents.
type outcome int

const (
	passed     outcome = iota
	failed             // the submission's doing: failed, or not run because of its own earlier failure
	unjudged           // labcheck could not judge it (error), or it has no step
	envSkipped         // the environment could not run it (info)
)

// award applies the catalog's preconditions to the recorded steps: a
// check whose precondition did not happen is never awarded, whatever its
// own step says (DYN-015 "comes back on its data" means nothing when no
// member was deleted). Because the submission failed the precondition, the
// check fails, saying which precondition did not happen and why, at the
// file and line that precondition's finding points to; when labcheck could
// not judge the precondition (error) or the environment could not run it
// (skip, info), the check takes that status instead: it is not charged to
// the student. A check that failed on its own keeps its own failure.
// requires returns a check's preconditions (the catalog's `requires`).
func (r *runner) award(requires func(id string) []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	idx := map[string]int{}
	var rules []string
	for i, s := range r.res.Steps {
		if s.Rule != "" {
			if _, dup := idx[s.Rule]; !dup {
				rules = append(rules, s.Rule)
			}
			idx[s.Rule] = i
		}
	}
	slices.Sort(rules)          // a precondition comes before the checks that need it
	root := map[string]string{} // rule -> the root "X did not happen because …" when it was not awarded
	for _, rule := range rules {
		st := &r.res.Steps[idx[rule]]
		if st.Status == dynamic.Fail {
			continue
		}
		for _, req := range requires(rule) {
			got, because, file, line := r.outcomeOf(req, idx)
			if got == passed {
				continue
			}
			what := req
			if c, ok := dynamic.Lookup(req); ok {
				what += " (" + c.Title + ")"
			}
			msg := root[req]
			if msg == "" {
				msg = what + " did not happen because " + because
			}
			root[rule] = msg
			var status dynamic.Status
			var prefix string
			var sev finding.Severity
			switch got {
			case failed:
				status, prefix, sev = dynamic.Fail, "not awarded: ", finding.Error
			case unjudged:
				status, prefix, sev = dynamic.Error, "not judged: ", finding.Info
			default:
				status, prefix, sev = dynamic.Skip, "not run: ", finding.Info
			}
			if file == "" {
				file, line = r.locationOf(rule)
			}
			st.Status, st.Detail = status, prefix+msg
			fmt.Fprintf(r.log, "[%6.1fs] %-5s %s %s: %s\n", time.Since(r.start).Seconds(), strings.ToUpper(string(status)), rule, st.Title, prefix+msg)
			r.res.Findings = slices.DeleteFunc(r.res.Findings, func(f dynamic.Finding) bool { return f.Rule == rule })
			r.res.Findings = append(r.res.Findings, dynamic.Finding{Rule: rule, Lab: st.Lab, Message: prefix + msg, File: file, Line: line, Severity: sev})
			break
		}
	}
}

// outcomeOf classifies a precondition's step and says why it did not
// pass (its detail's first line), with where its finding points.
func (r *runner) outcomeOf(rule string, idx map[string]int) (outcome, string, string, int) {
	i, ok := idx[rule]
	if !ok {
		return unjudged, "it was never reached", "", 0
	}
	st := r.res.Steps[i]
	because := st.Detail
	if j := strings.IndexByte(because, '\n'); j >= 0 {
		because = because[:j]
	}
	because = strings.TrimPrefix(because, "not run: ")
	if because == "" {
		because = string(st.Status)
	}
	file, line := r.locationOf(rule)
	switch st.Status {
	case dynamic.Pass:
		return passed, "", "", 0
	case dynamic.Fail:
		return failed, because, file, line
	case dynamic.Error:
		return unjudged, because, file, line
	}
	for _, f := range r.res.Findings {
		if f.Rule == rule && f.Severity == finding.Error {
			return failed, because, file, line
		}
	}
	return envSkipped, because, file, line
}

// locationOf is where a check's first finding points.
func (r *runner) locationOf(rule string) (string, int) {
	for _, f := range r.res.Findings {
		if f.Rule == rule && f.File != "" {
			return f.File, f.Line
		}
	}
	return "", 0
}

// catalogRequires is the catalog's preconditions of a check.
func catalogRequires(id string) []string {
	c, ok := dynamic.Lookup(id)
	if !ok {
		return nil
	}
	return c.Requires
}
