package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/grade"
)

type textRenderer struct{ o Options }

const (
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	blue   = "\x1b[34m"
	dim    = "\x1b[2m"
	bold   = "\x1b[1m"
	reset  = "\x1b[0m"
)

func (t textRenderer) paint(code, s string) string {
	if !t.o.Color {
		return s
	}
	return code + s + reset
}

func (t textRenderer) Render(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	for _, lab := range finding.Labs {
		var shown []finding.Finding
		for _, f := range r.Findings {
			if f.Lab == lab && (!t.o.Quiet || f.Severity.Rank() >= t.o.FailOn.Rank() && !f.Suppressed) {
				shown = append(shown, f)
			}
		}
		if len(shown) == 0 {
			continue
		}
		fmt.Fprintln(bw, t.paint(bold, string(lab)))
		for _, f := range shown {
			fmt.Fprintf(bw, "  %s\n", t.line(f))
		}
		fmt.Fprintln(bw)
	}
	if !t.o.Quiet {
		t.scores(bw, r)
	}
	return bw.Flush()
}

func (t textRenderer) line(f finding.Finding) string {
	loc := f.File
	if f.Line > 0 {
		loc += ":" + strconv.Itoa(f.Line)
	}
	sev := string(f.Severity)
	switch f.Severity {
	case finding.Error:
		sev = t.paint(red, sev)
	case finding.Warning:
		sev = t.paint(yellow, sev)
	case finding.Info:
		sev = t.paint(blue, sev)
	}
	s := fmt.Sprintf("%s: %s [%s] %s", loc, sev, f.Rule, f.Message)
	if f.Suppressed {
		s = t.paint(dim, fmt.Sprintf("%s: suppressed [%s] %s (%s)", loc, f.Rule, f.Message, f.Reason))
	}
	return s
}

func (t textRenderer) scores(w io.Writer, r *Report) {
	if len(r.Labs) == 0 {
		fmt.Fprintln(w, "no lab judged: the PATHs hold no lab's files")
		return
	}
	width := 0
	for _, l := range r.Labs {
		width = max(width, len(l.Title))
	}
	fmt.Fprintln(w, t.paint(bold, "score"))
	for _, l := range r.Labs {
		fmt.Fprintf(w, "  %-11s %-*s %6s / %-4s %s\n", l.ID, width, l.Title, num(l.Points), num(l.Max), checkCounts(l))
	}
	fmt.Fprintf(w, "  %-11s %-*s %6s / %s\n", "total", width, "", num(r.Score.Points), num(r.Score.Max))
	if note := reachableNote(r); note != "" {
		fmt.Fprintln(w, "  "+note)
	}
	if note := judgedNote(r); note != "" {
		fmt.Fprintln(w, "  "+note)
	}
}

// judgedNote says when the run judged only some labs.
func judgedNote(r *Report) string {
	if len(r.Labs) >= len(finding.Labs) {
		return ""
	}
	ids := make([]string, len(r.Labs))
	for i, l := range r.Labs {
		ids[i] = string(l.ID)
	}
	return fmt.Sprintf("judged: %s only (the labs this run was given; check the repository or its labs folder to grade every lab)", strings.Join(ids, ", "))
}

// checkCounts says how many of a lab's checks passed, and how many were
// skipped.
func checkCounts(l grade.LabScore) string {
	passed, skipped := 0, 0
	for _, c := range l.Checks {
		switch c.Status {
		case grade.Pass:
			passed++
		case grade.Skip:
			skipped++
		}
	}
	s := fmt.Sprintf("%d of %d checks pass", passed, len(l.Checks))
	if skipped > 0 {
		s += fmt.Sprintf(", %d skipped", skipped)
	}
	return s
}

// reachableNote explains a maximum this run could not reach.
func reachableNote(r *Report) string {
	if r.Score.Reachable >= r.Score.Max {
		return ""
	}
	if r.Dynamic == nil {
		return fmt.Sprintf("at most %s of %s reachable in this run: the dynamic checks need labcheck verify", num(r.Score.Reachable), num(r.Score.Max))
	}
	return fmt.Sprintf("at most %s of %s reachable in this run: some dynamic checks could not run (see their findings)", num(r.Score.Reachable), num(r.Score.Max))
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
