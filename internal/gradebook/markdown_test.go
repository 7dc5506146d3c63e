package gradebook

import (
	"bytes"
	"strings"
	"testing"
)

// The job summary: a table row per submission whose cells a student's name
// cannot break, the ungraded one marked with its reason, and the
// most-failed checks linked to their documentation.
func TestMarkdownSummary(t *testing.T) {
	eng, rub := setup(t)
	entries := graded(t, eng, rub, class(t, 1, "passing", "docker-latest"))
	entries = append(entries, Row{Submission: "eve | <b>x</b>", Error: "not graded: took longer than 1m0s\nmore"})
	var b bytes.Buffer
	if err := WriteMarkdown(&b, rub, catalog(eng), entries); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	var table []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "| Check") && !strings.Contains(line, "](") {
			table = append(table, line)
		}
	}
	if len(table) != 4 { // the header and three submissions
		t.Fatalf("submissions table:\n%s", strings.Join(table, "\n"))
	}
	cols := func(line string) int { return strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") }
	for _, line := range table[1:] {
		if cols(line) != cols(table[0]) {
			t.Errorf("row %q has %d column breaks, the header %d", line, cols(line), cols(table[0]))
		}
	}
	last := table[3]
	if !strings.Contains(last, "**not graded**: not graded: took longer than 1m0s |") || strings.Contains(last, "<b>") {
		t.Errorf("ungraded row = %q", last)
	}
	if !strings.Contains(out, "2 graded, **1 not graded**") {
		t.Errorf("no class numbers in:\n%s", out)
	}
	if !strings.Contains(out, "| [DOCKER-002](https://github.com/labcheck/labcheck/blob/main/docs/rules.md#docker-002) | docker | 1 (50%) |") {
		t.Errorf("DOCKER-002 is not the most-failed check, linked, failed by 1 of 2:\n%s", out)
	}
}
