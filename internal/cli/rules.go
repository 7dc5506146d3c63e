package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/agnivade/levenshtein"

	"github.com/labcheck/labcheck/internal/engine"
)

func runRules(_ context.Context, e env, args []string) int {
	fs := newFlags("labcheck rules", e)
	format := fs.String("format", "text", "text or json")
	if code, stop := parseFlags(e, fs, args); stop {
		return code
	}
	eng, err := builtin()
	if err != nil {
		return errorf(e, "%v", err)
	}
	rub, err := loadRubric(eng, "")
	if err != nil {
		return errorf(e, "%v", err)
	}
	points := map[string]float64{}
	for _, l := range rub.Labs {
		for _, c := range l.Checks {
			points[c.Rule] = c.Points
		}
	}
	type row struct {
		*engine.Rule
		Points float64 `json:"points"`
	}
	var rows []row
	for _, r := range eng.Rules() {
		rows = append(rows, row{r, points[r.ID]})
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			return errorf(e, "%v", err)
		}
	case "text":
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tLAB\tSEVERITY\tPOINTS\tNAME\tTITLE")
		for _, r := range rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Lab, r.Severity, strconv.FormatFloat(r.Points, 'f', -1, 64), r.Name, r.Title)
		}
		tw.Flush()
	default:
		return errorf(e, "rules: unknown format %q (text, json)", *format)
	}
	return ExitOK
}

func runExplain(_ context.Context, e env, args []string) int {
	fs := newFlags("labcheck explain", e)
	if code, stop := parseFlags(e, fs, args); stop {
		return code
	}
	if fs.NArg() != 1 {
		return errorf(e, "explain takes one rule id or name, e.g. labcheck explain DOCKER-002")
	}
	eng, err := builtin()
	if err != nil {
		return errorf(e, "%v", err)
	}
	want := strings.ToUpper(fs.Arg(0))
	for _, r := range eng.Rules() {
		if r.ID == want || strings.EqualFold(r.Name, want) {
			fmt.Fprint(e.stdout, explain(r))
			return ExitOK
		}
	}
	return errorf(e, "no rule %s; did you mean %s? ('labcheck rules' lists them all)", fs.Arg(0), strings.Join(nearest(eng.Rules(), want, 3), ", "))
}

func explain(r *engine.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (%s lab, %s)\n%s\n\n", r.ID, r.Name, r.Lab, r.Severity, r.Title)
	fmt.Fprintf(&b, "Why\n%s\n\nHow to fix\n%s\n", indent(r.Rationale), indent(r.Remediation))
	example := func(title string, files map[string]string) {
		fmt.Fprintf(&b, "\n%s\n", title)
		if len(files) == 0 {
			b.WriteString("  (no files)\n")
		}
		for _, name := range slices.Sorted(maps.Keys(files)) {
			fmt.Fprintf(&b, "  # %s\n%s", name, indent(files[name]))
		}
	}
	example("Failing example", r.Examples.Fail)
	example("Passing example", r.Examples.Pass)
	if len(r.Related) > 0 {
		fmt.Fprintf(&b, "\nSame as elsewhere\n  %s\n", strings.Join(r.Related, ", "))
	}
	return b.String()
}

func indent(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("  " + line + "\n")
	}
	return b.String()
}

// nearest returns the n rule ids (or names) closest to want by edit distance.
func nearest(rules []*engine.Rule, want string, n int) []string {
	type cand struct {
		id   string
		dist int
	}
	var cs []cand
	for _, r := range rules {
		d := min(levenshtein.ComputeDistance(want, r.ID), levenshtein.ComputeDistance(strings.ToLower(want), r.Name))
		cs = append(cs, cand{r.ID, d})
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return a.dist - b.dist })
	var out []string
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, c.id)
	}
	return out
}
