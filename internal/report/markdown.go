package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// markdownLimit bounds the findings table: a step summary has a 1 MiB cap.
const markdownLimit = 200

type markdownRenderer struct{}

// Render writes the score table and the findings as GitHub-flavoured
// Markdown, for $GITHUB_STEP_SUMMARY or a pull-request comment.
func (markdownRenderer) Render(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "## labcheck: %s / %s points\n\n", num(r.Score.Points), num(r.Score.Max))
	fmt.Fprintln(bw, "| Lab | Points | Checks |")
	fmt.Fprintln(bw, "|---|---:|---|")
	for _, l := range r.Labs {
		fmt.Fprintf(bw, "| %s | %s / %s | %s |\n", cell(l.Title), num(l.Points), num(l.Max), checkCounts(l))
	}
	fmt.Fprintf(bw, "| **Total** | **%s / %s** | |\n", num(r.Score.Points), num(r.Score.Max))
	if note := reachableNote(r); note != "" {
		fmt.Fprintf(bw, "\n%s.\n", strings.ToUpper(note[:1])+note[1:])
	}
	var open []int
	for i, f := range r.Findings {
		if !f.Suppressed {
			open = append(open, i)
		}
	}
	if len(open) == 0 {
		fmt.Fprintln(bw, "\nNo findings.")
		return bw.Flush()
	}
	fmt.Fprintf(bw, "\n### Findings (%d)\n\n", len(open))
	fmt.Fprintln(bw, "| Severity | Rule | Where | Message |")
	fmt.Fprintln(bw, "|---|---|---|---|")
	for n, i := range open {
		if n == markdownLimit {
			fmt.Fprintf(bw, "\n%d more findings are not listed; run labcheck locally to see them all.\n", len(open)-markdownLimit)
			break
		}
		f := r.Findings[i]
		fmt.Fprintf(bw, "| %s | [%s](%s#%s) | `%s` | %s |\n", f.Severity, f.Rule, DocsURL, RuleAnchor(f.Rule), strings.ReplaceAll(location(f), "`", "'"), cell(f.Message))
	}
	return bw.Flush()
}

// cell escapes text for a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;").Replace(s)
}
