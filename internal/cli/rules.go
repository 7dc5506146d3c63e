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
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/settings"
)

func runRules(_ context.Context, e env, args []string) int {
	fs := newFlags("labcheck rules", e)
	format := fs.String("format", "text", "text, json or markdown (the rule reference, docs/rules.md)")
	if code, stop := parseFlags(e, fs, args); stop {
		return code
	}
	eng, err := settings.Engine()
	if err != nil {
		return errorf(e, "%v", err)
	}
	rub, err := settings.LoadRubric(eng, "", "")
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
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Lab, r.Severity, num(r.Points), r.Name, r.Title)
		}
		tw.Flush()
	case "markdown":
		fmt.Fprint(e.stdout, rulesMarkdown(eng.Rules(), points))
	default:
		return errorf(e, "rules: unknown format %q (text, json, markdown)", *format)
	}
	return ExitOK
}

// rulesMarkdown is the rule reference: every rule's metadata, the page
// SARIF's helpUri and the Markdown report link to.
func rulesMarkdown(rules []*engine.Rule, points map[string]float64) string {
	var b strings.Builder
	b.WriteString("# labcheck rules\n\nGenerated from the policies' METADATA by `labcheck rules --format markdown`; do not edit.\n")
	lab := finding.Lab("")
	for _, r := range rules {
		if r.Lab != lab {
			lab = r.Lab
			fmt.Fprintf(&b, "\n## %s\n", lab)
		}
		fmt.Fprintf(&b, "\n### %s\n\n**%s** (`%s`): %s, %s point(s) in the default rubric.\n\n", r.ID, r.Title, r.Name, r.Severity, strconv.FormatFloat(points[r.ID], 'f', -1, 64))
		fmt.Fprintf(&b, "%s\n\n**How to fix:** %s\n", r.Rationale, r.Remediation)
		if len(r.ExplainedBy) > 0 {
			fmt.Fprintf(&b, "\n**Explained by:** a failure quotes the static findings of the same run that explain it: %s\n", strings.Join(r.ExplainedBy, ", "))
		}
		if len(r.Related) > 0 {
			fmt.Fprintf(&b, "\n**Peers:** %s\n", strings.Join(r.Related, ", "))
		}
		for _, ex := range []struct {
			title string
			files map[string]string
		}{{"Fails", r.Examples.Fail}, {"Passes", r.Examples.Pass}} {
			fmt.Fprintf(&b, "\n%s:\n", ex.title)
			if len(ex.files) == 0 {
				b.WriteString("\n(no files)\n")
			}
			for _, name := range slices.Sorted(maps.Keys(ex.files)) {
				fmt.Fprintf(&b, "\n`%s`\n\n```\n%s\n```\n", name, strings.TrimRight(ex.files[name], "\n"))
			}
		}
	}
	return b.String()
}

func runExplain(_ context.Context, e env, args []string) int {
	fs := newFlags("labcheck explain", e)
	if code, stop := parseFlags(e, fs, args); stop {
		return code
	}
	if fs.NArg() != 1 {
		return errorf(e, "explain takes one rule id or name, e.g. labcheck explain DOCKER-002")
	}
	eng, err := settings.Engine()
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
	fmt.Fprintf(&b, "Why\n%s\nHow to fix\n%s", indent(r.Rationale), indent(r.Remediation))
	example := func(title string, files map[string]string) {
		fmt.Fprintf(&b, "\n%s\n", title)
		if len(files) == 0 {
			b.WriteString("  (no files)\n")
		}
		for _, name := range slices.Sorted(maps.Keys(files)) {
			fmt.Fprintf(&b, "  # %s\n%s", name, indent(files[name]))
		}
	}
	if r.Phase == finding.Dynamic {
		fmt.Fprintf(&b, "\nWhen it runs\n  only under labcheck verify, on a cluster")
		if len(r.Requires) > 0 {
			fmt.Fprintf(&b, ", after %s passed", strings.Join(r.Requires, " and "))
		}
		b.WriteString("\n")
	}
	example("Failing example", r.Examples.Fail)
	if len(r.Examples.ForeseenBy) > 0 {
		fmt.Fprintf(&b, "  (the static phase already reports it: %s)\n", strings.Join(r.Examples.ForeseenBy, ", "))
	}
	example("Passing example", r.Examples.Pass)
	if len(r.ExplainedBy) > 0 {
		fmt.Fprintf(&b, "\nExplained by\n  a failure quotes the static findings of the same run that explain it: %s\n", strings.Join(r.ExplainedBy, ", "))
	}
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
