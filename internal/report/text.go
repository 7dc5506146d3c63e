package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"

	"github.com/labcheck/labcheck/internal/finding"
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
		return
	}
	width := 0
	for _, l := range r.Labs {
		width = max(width, len(l.Title))
	}
	fmt.Fprintln(w, t.paint(bold, "score"))
	for _, l := range r.Labs {
		passed := 0
		for _, c := range l.Checks {
			if c.Status == "pass" {
				passed++
			}
		}
		fmt.Fprintf(w, "  %-11s %-*s %6s / %-4s %d of %d checks pass\n", l.ID, width, l.Title, num(l.Points), num(l.Max), passed, len(l.Checks))
	}
	fmt.Fprintf(w, "  %-11s %-*s %6s / %s\n", "total", width, "", num(r.Score.Points), num(r.Score.Max))
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
