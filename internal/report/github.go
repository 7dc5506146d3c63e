package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/labcheck/labcheck/internal/finding"
)

// annotationLimit is how many annotations of one type GitHub shows per
// step; the rest are counted in a closing notice.
const annotationLimit = 10

type githubRenderer struct{}

// Render writes GitHub Actions workflow commands: the most severe findings
// first, at most ten per type, then a notice with the score and what did
// not fit.
func (githubRenderer) Render(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	fs := slices.Clone(r.Findings)
	slices.SortStableFunc(fs, func(a, b finding.Finding) int {
		return cmp.Compare(b.Severity.Rank(), a.Severity.Rank())
	})
	shown := map[string]int{}
	hidden := map[string]int{}
	for _, f := range fs {
		if f.Suppressed {
			continue
		}
		kind := command(f.Severity)
		limit := annotationLimit
		if kind == "notice" {
			limit-- // keep room for the closing notice
		}
		if shown[kind] >= limit {
			hidden[kind]++
			continue
		}
		shown[kind]++
		// GitHub shows an annotation on a file only if the file exists; one
		// about something missing (file is the folder where it belongs)
		// goes without file=, its path leading the message.
		var props []string
		msg := f.Message
		if placeOf(f.File) == isFile {
			props = append(props, "file="+escapeProperty(f.File))
			if f.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", f.Line))
			}
			if f.Column > 0 {
				props = append(props, fmt.Sprintf("col=%d", f.Column))
			}
		} else if f.File != "" {
			msg = f.File + ": " + msg
		}
		props = append(props, "title="+escapeProperty(f.Rule+" "+f.Name))
		fmt.Fprintf(bw, "::%s %s::%s\n", kind, strings.Join(props, ","), escapeData(msg))
	}
	summary := fmt.Sprintf("Score %s/%s", num(r.Score.Points), num(r.Score.Max))
	var more []string
	for _, kind := range []string{"error", "warning", "notice"} {
		if n := hidden[kind]; n > 0 {
			more = append(more, fmt.Sprintf("%d more %s%s", n, kind, plural(n)))
		}
	}
	if len(more) > 0 {
		summary += "; " + strings.Join(more, ", ") + " not shown as annotations (GitHub shows 10 per type): see the job summary"
	}
	fmt.Fprintf(bw, "::notice title=labcheck::%s\n", escapeData(summary))
	return bw.Flush()
}

func command(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "error"
	case finding.Warning:
		return "warning"
	}
	return "notice"
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// escapeData and escapeProperty follow GitHub's workflow command encoding.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
