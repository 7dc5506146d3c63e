package gradebook

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/grade"
)

// markdownChecks bounds the most-failed checks the summary lists; the HTML
// report has them all.
const markdownChecks = 10

// WriteMarkdown writes the class summary as GitHub-flavoured Markdown, for
// a workflow's job summary: the class's numbers, a row per submission and
// the most-failed checks.
func WriteMarkdown(w io.Writer, rubric *grade.Rubric, rules map[string]*engine.Rule, rows []Row) error {
	bw := bufio.NewWriter(w)
	p := newPage(rubric, rules, rows)
	s := p.Summary
	fmt.Fprintf(bw, "## labcheck class report: rubric %s\n\n", cell(p.Rubric))
	fmt.Fprintf(bw, "%d submissions: %d graded", s.Submissions, s.Graded)
	if s.NotGraded > 0 {
		fmt.Fprintf(bw, ", **%d not graded**", s.NotGraded)
	}
	if s.Graded > 0 {
		fmt.Fprintf(bw, ". Mean %s, median %s of %s points", s.Mean, s.Median, s.Max)
	}
	fmt.Fprintln(bw, ".")
	if s.Reachable != "" {
		fmt.Fprintf(bw, "\nThe dynamic checks did not run for every submission: the most such a submission can reach is %s.\n", s.Reachable)
	}
	fmt.Fprint(bw, "\n| Submission | Points |")
	for _, l := range p.Labs {
		fmt.Fprintf(bw, " %s /%s |", l.ID, l.Max)
	}
	fmt.Fprint(bw, " Status |\n|---|---:|")
	fmt.Fprint(bw, strings.Repeat("---:|", len(p.Labs)))
	fmt.Fprintln(bw, "---|")
	for _, r := range p.Rows {
		points := "—"
		if r.Error == "" {
			points = r.Points + " / " + r.Max
		}
		fmt.Fprintf(bw, "| %s | %s |", cell(r.Name), points)
		for _, l := range r.Labs {
			fmt.Fprintf(bw, " %s |", l.Text)
		}
		status := "graded"
		switch {
		case r.Error != "":
			status = "**not graded**: " + cell(firstLine(r.Error))
		case r.ReachableLt:
			status = "reachable " + r.Reachable
		}
		fmt.Fprintf(bw, " %s |\n", status)
	}
	if len(p.Failed) > 0 {
		fmt.Fprintf(bw, "\n### Most-failed checks\n\n| Check | Lab | Failed by | Rule |\n|---|---|---:|---|\n")
		for _, c := range p.Failed[:min(len(p.Failed), markdownChecks)] {
			fmt.Fprintf(bw, "| [%s](%s) | %s | %d (%s) | %s |\n", c.Rule, c.Doc, c.Lab, c.Count, c.Share, cell(c.Title))
		}
		if n := len(p.Failed) - markdownChecks; n > 0 {
			fmt.Fprintf(bw, "\n%d more failed checks are in the HTML report.\n", n)
		}
	}
	return bw.Flush()
}

// cell makes text safe in a Markdown table cell: no column break, no line
// break, no markup (a submission's name is the student's text).
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;", "`", "'", "[", `\[`, "]", `\]`, "*", `\*`, "_", `\_`).Replace(s)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
