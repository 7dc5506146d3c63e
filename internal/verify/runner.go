package verify

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/labcheck/labcheck/internal/deploy"
	"github.com/labcheck/labcheck/internal/dynamic"
	"github.com/labcheck/labcheck/internal/finding"
)

// runner records steps and findings and prints progress. Lab 1 runs
// beside the cluster's labs, so it is safe for concurrent use.
type runner struct {
	mu    sync.Mutex
	log   io.Writer
	start time.Time
	res   *dynamic.Result
}

func newRunner(log io.Writer) *runner {
	if log == nil {
		log = io.Discard
	}
	return &runner{log: log, start: time.Now(), res: &dynamic.Result{Version: dynamic.Version}}
}

func (r *runner) printf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(r.log, "[%6.1fs] "+format+"\n", append([]any{time.Since(r.start).Seconds()}, args...)...)
}

// step is one running step.
type step struct {
	r     *runner
	s     dynamic.Step
	begun time.Time
}

// begin starts a step and says so.
func (r *runner) begin(rule string, lab finding.Lab, title string) *step {
	label := title
	if rule != "" {
		label = rule + " " + title
	}
	r.printf("start %s", label)
	return &step{r: r, s: dynamic.Step{Rule: rule, Lab: lab, Title: title}, begun: time.Now()}
}

// end records the step's outcome and its findings.
func (s *step) end(status dynamic.Status, detail string, fs ...dynamic.Finding) {
	s.s.Status, s.s.Detail = status, detail
	s.s.Seconds = roundSeconds(time.Since(s.begun))
	r := s.r
	label := s.s.Title
	if s.s.Rule != "" {
		label = s.s.Rule + " " + s.s.Title
	}
	summary := detail
	if i := strings.IndexByte(summary, '\n'); i >= 0 {
		summary = summary[:i] + " …"
	}
	r.printf("%-5s %s (%.1fs)%s", strings.ToUpper(string(status)), label, s.s.Seconds, prefixed(": ", summary))
	r.mu.Lock()
	defer r.mu.Unlock()
	r.res.Steps = append(r.res.Steps, s.s)
	r.res.Findings = append(r.res.Findings, fs...)
}

func (s *step) pass(detail string) { s.end(dynamic.Pass, detail) }

// took makes d the step's duration, for a step whose work ran beside
// others' and that ends in its turn.
func (s *step) took(d time.Duration) *step {
	s.begun = time.Now().Add(-d)
	return s
}

// fail records the step as failed with one finding per note.
func (s *step) fail(notes []deploy.Note, severity finding.Severity) {
	var fs []dynamic.Finding
	for _, n := range notes {
		fs = append(fs, dynamic.Finding{Rule: s.s.Rule, Lab: s.s.Lab, Message: n.Message, File: n.File, Line: n.Line, Severity: severity})
	}
	detail := ""
	if len(notes) > 0 {
		detail = notes[0].Message
		if len(notes) > 1 {
			detail = fmt.Sprintf("%d problems; first: %s", len(notes), detail)
		}
	}
	s.end(dynamic.Fail, detail, fs...)
}

// skip records a step that did not run. A check that did not run must not
// earn its points, so it still reports a finding: an error when a step it
// depends on failed, info when the environment cannot run it.
func (r *runner) skip(rule string, lab finding.Lab, title, why, file string, sev finding.Severity) {
	s := &step{r: r, s: dynamic.Step{Rule: rule, Lab: lab, Title: title}, begun: time.Now()}
	var fs []dynamic.Finding
	if rule != "" {
		fs = append(fs, dynamic.Finding{Rule: rule, Lab: lab, Message: "not run: " + why, File: file, Severity: sev})
	}
	s.end(dynamic.Skip, why, fs...)
}

// skipAt skips a check with its finding at a line (not file:0).
func (r *runner) skipAt(c check, why, file string, line int, sev finding.Severity) {
	r.skip(c.id, c.lab, c.title, why, file, sev)
	r.mu.Lock()
	defer r.mu.Unlock()
	if n := len(r.res.Findings); n > 0 && r.res.Findings[n-1].Rule == c.id {
		r.res.Findings[n-1].Line = line
	}
}

// errorStep records a step labcheck could not judge (the cluster failed,
// the run was cancelled or timed out).
func (s *step) error(err error) { s.end(dynamic.Error, err.Error()) }

// note records findings that go with no step (adaptations).
func (r *runner) notes(rule string, lab finding.Lab, notes []deploy.Note, sev finding.Severity) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range notes {
		r.res.Findings = append(r.res.Findings, dynamic.Finding{Rule: rule, Lab: lab, Message: n.Message, File: n.File, Line: n.Line, Severity: sev})
	}
}

func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

func roundSeconds(d time.Duration) float64 {
	return float64(d.Round(100*time.Millisecond)) / float64(time.Second)
}
