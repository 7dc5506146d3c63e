package gradebook

import (
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/grade"
	"github.com/labcheck/labcheck/internal/report"
)

// The class report's page, style and script. The script and style go into
// the page verbatim; their hashes are the page's Content-Security-Policy,
// so no other script or style can run there, whatever a submission holds.
var (
	//go:embed html/class.html.tmpl
	classTemplate string
	//go:embed html/class.css
	classCSS string
	//go:embed html/class.js
	classJS string

	classPage = template.Must(template.New("class").Parse(classTemplate))
)

// WriteHTML writes the class report: one self-contained page (inline
// style, script and SVG; nothing fetched) that reads without JavaScript,
// with the rules' titles and fixes from rules. The same class gives the
// same bytes.
func WriteHTML(w io.Writer, rubric *grade.Rubric, rules map[string]*engine.Rule, rows []Row) error {
	return classPage.Execute(w, newPage(rubric, rules, rows))
}

// WriteHTML writes OUT.html, the class report, beside the gradebook.
func (o *Output) WriteHTML(rules map[string]*engine.Rule, rows []Row) error {
	return writeAtomic(o.Base+".html", func(w io.Writer) error { return WriteHTML(w, o.rubric, rules, rows) })
}

// page is what the template shows.
type page struct {
	CSP        string
	CSS        template.CSS
	JS         template.JS
	Tool       string
	Rubric     string
	Summary    summary
	Histograms []histogram
	Failed     []failedCheck // every check some submission fails, most failed first
	TopFailed  []failedCheck // the first topFailed of them
	MoreFailed []failedCheck // the others, folded away
	Labs       []labColumn
	Rows       []subRow
}

type summary struct {
	Submissions, Graded, NotGraded int
	Mean, Median, Max              string
	Reachable                      string // "" when every graded submission could reach the maximum
}

type labColumn struct {
	ID    finding.Lab
	Title string
	Max   string
}

// failedCheck is a check some submissions fail, with its rule's catalog
// entry.
type failedCheck struct {
	Key, Rule, Lab, Title, Fix, Doc string
	Count                           int
	Share                           string // of the graded submissions, in percent
	Bar                             float64
}

type subRow struct {
	N                       int
	Name, Path              string
	Error                   string
	Points, Max, Reachable  string
	Sort                    string // the points as a sort key: -1 when not graded
	Labs                    []labCell
	Errors, Warnings, Infos int
	Failed                  string // the failed checks' keys, space-separated
	Detail                  []labDetail
	Findings                []findingLine
	Waived                  int
	ReachableLt             bool // the dynamic checks did not run
}

type labCell struct{ Text, Sort string }

type labDetail struct {
	Title, Points, Max, Reachable string
	Failed                        []string // "RULE name"
	NotRun                        int      // checks skipped (dynamic, without verify) or not judged
}

type findingLine struct {
	Severity, Rule, Where, Message string
}

func newPage(rubric *grade.Rubric, rules map[string]*engine.Rule, rows []Row) page {
	p := page{
		CSS:    template.CSS(classCSS),
		JS:     template.JS(classJS),
		CSP:    csp(),
		Rubric: rubric.Name,
	}
	for _, e := range rows {
		if e.Report != nil && p.Tool == "" {
			p.Tool = e.Report.Tool.Version
		}
	}
	labs := labsShown(rubric, rows)
	for _, l := range labs {
		p.Labs = append(p.Labs, labColumn{ID: l.ID, Title: l.Title, Max: num(l.Max)})
	}
	p.Summary = summarize(rows)
	p.Histograms = append(p.Histograms, histogramOf("Total", "h-total", maxOf(rubric, labs), rows, func(e Row) (float64, float64, bool) {
		return e.Points, e.Reachable, e.Error == ""
	}))
	for _, l := range labs {
		p.Histograms = append(p.Histograms, histogramOf(l.Title, "h-"+string(l.ID), l.Max, rows, func(e Row) (float64, float64, bool) {
			ls, ok := labScore(e.Report, l.ID)
			return ls.Points, ls.Reachable, ok && e.Error == ""
		}))
	}
	p.Failed = mostFailed(rules, rows, p.Summary.Graded)
	p.TopFailed, p.MoreFailed = p.Failed[:min(len(p.Failed), topFailed)], p.Failed[min(len(p.Failed), topFailed):]
	for i, e := range rows {
		p.Rows = append(p.Rows, newSubRow(i, e, labs))
	}
	return p
}

// csp allows the page's own style and script, by hash, and nothing else:
// no fetch, no image but data:, no form, no other script.
func csp() string {
	hash := func(s string) string {
		h := sha256.Sum256([]byte(s))
		return "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
	}
	return "default-src 'none'; img-src data:; style-src " + hash(classCSS) + "; script-src " + hash(classJS) + "; base-uri 'none'; form-action 'none'"
}

// labsShown are the rubric's labs that some report scored (all of them when
// nothing was graded).
func labsShown(rubric *grade.Rubric, rows []Row) []grade.RubricLab {
	scored := map[finding.Lab]bool{}
	for _, e := range rows {
		if e.Report != nil {
			for _, l := range e.Report.Labs {
				scored[l.ID] = true
			}
		}
	}
	if len(scored) == 0 {
		return rubric.Labs
	}
	var out []grade.RubricLab
	for _, l := range rubric.Labs {
		if scored[l.ID] {
			out = append(out, l)
		}
	}
	return out
}

func maxOf(rubric *grade.Rubric, labs []grade.RubricLab) float64 {
	total := 0.0
	for _, l := range labs {
		total += l.Max
	}
	return total
}

func labScore(r *report.Report, lab finding.Lab) (grade.LabScore, bool) {
	if r == nil {
		return grade.LabScore{}, false
	}
	for _, l := range r.Labs {
		if l.ID == lab {
			return l, true
		}
	}
	return grade.LabScore{}, false
}

func summarize(rows []Row) summary {
	s := summary{Submissions: len(rows)}
	var points []float64
	reach := map[float64]bool{}
	for _, e := range rows {
		if e.Error != "" {
			s.NotGraded++
			continue
		}
		points = append(points, e.Points)
		s.Max = num(e.Max)
		if e.Reachable < e.Max {
			reach[e.Reachable] = true
		}
	}
	s.Graded = len(points)
	if len(points) == 0 {
		return s
	}
	sum := 0.0
	for _, v := range points {
		sum += v
	}
	slices.Sort(points)
	median := points[len(points)/2]
	if len(points)%2 == 0 {
		median = (points[len(points)/2-1] + points[len(points)/2]) / 2
	}
	s.Mean, s.Median = round1(sum/float64(len(points))), round1(median)
	var rs []string
	for _, r := range slices.Sorted(maps.Keys(reach)) {
		rs = append(rs, num(r))
	}
	s.Reachable = strings.Join(rs, ", ")
	return s
}

// histogram is a score distribution drawn as SVG: ten bins from 0 to the
// maximum (the last one holds the maximum), and a dashed mark at each
// reachable maximum below it (the dynamic checks did not run).
type histogram struct {
	ID, Title, Label string
	Max              string
	Total            int
	Bars             []bar
	Marks            []mark
	Ticks            []tick
}

type bar struct {
	X, Y, W, H     string
	LabelX, LabelY string
	Range          string
	Count          int
}

type mark struct{ X, LabelX, Text string }

type tick struct{ X, Anchor, Text string }

// The histogram's geometry, in SVG user units.
const (
	histBins   = 10
	histWidth  = 360.0
	histHeight = 170.0
	histLeft   = 8.0
	histTop    = 22.0
	histBottom = 22.0
)

func histogramOf(title, id string, full float64, rows []Row, value func(Row) (points, reachable float64, ok bool)) histogram {
	h := histogram{ID: id, Title: title, Max: num(full)}
	if full <= 0 {
		full = 1 // a lab worth nothing: the bins still have a width
	}
	counts := make([]int, histBins)
	reach := map[float64]bool{}
	for _, e := range rows {
		v, r, ok := value(e)
		if !ok {
			continue
		}
		h.Total++
		counts[bin(v, full)]++
		if r < full {
			reach[r] = true
		}
	}
	top := slices.Max(counts)
	plotW, plotH := histWidth-2*histLeft, histHeight-histTop-histBottom
	width := plotW / histBins
	for i, c := range counts {
		height := 0.0
		if top > 0 {
			height = float64(c) / float64(top) * plotH
		}
		lo, hi := full*float64(i)/histBins, full*float64(i+1)/histBins
		x := histLeft + float64(i)*width
		h.Bars = append(h.Bars, bar{
			X: coord(x + 1), Y: coord(histTop + plotH - height), W: coord(width - 2), H: coord(height),
			LabelX: coord(x + width/2), LabelY: coord(histTop + plotH - height - 4),
			Range: binRange(lo, hi, i == histBins-1), Count: c,
		})
	}
	for i, anchor := range []string{"start", "middle", "end"} {
		v := full * float64(i) / 2
		h.Ticks = append(h.Ticks, tick{X: coord(histLeft + v/full*plotW), Anchor: anchor, Text: num(round(v))})
	}
	for _, r := range slices.Sorted(maps.Keys(reach)) {
		x := histLeft + r/full*plotW
		h.Marks = append(h.Marks, mark{X: coord(x), LabelX: coord(x - 3), Text: "reachable " + num(r)})
	}
	h.Label = fmt.Sprintf("%s: %d submissions graded, scores from 0 to %s in %d bins", title, h.Total, h.Max, histBins)
	return h
}

// bin is the bin of a score: [lo, hi) each, the last one [lo, max].
func bin(v, full float64) int {
	if full <= 0 {
		return 0
	}
	return min(max(0, int(v/full*histBins)), histBins-1)
}

func binRange(lo, hi float64, last bool) string {
	if last {
		return num(round(lo)) + "–" + num(round(hi))
	}
	return num(round(lo)) + "–<" + num(round(hi))
}

// topFailed is how many of the most-failed checks show unfolded.
const topFailed = 15

// mostFailed lists the checks failed by at least one graded submission,
// most failed first.
func mostFailed(rules map[string]*engine.Rule, rows []Row, graded int) []failedCheck {
	counts := map[grade.LabRule]int{}
	for _, e := range rows {
		if e.Error != "" || e.Report == nil {
			continue
		}
		for _, k := range failedKeys(e.Report) {
			counts[k]++
		}
	}
	var out []failedCheck
	for k, n := range counts {
		fc := failedCheck{Key: key(k), Rule: k.Rule, Lab: string(k.Lab), Count: n, Doc: report.DocsURL + "#" + report.RuleAnchor(k.Rule)}
		if r, ok := rules[k.Rule]; ok {
			fc.Title, fc.Fix = r.Title, r.Remediation
		}
		if graded > 0 {
			fc.Share = strconv.Itoa(n*100/graded) + "%"
			fc.Bar = float64(n) / float64(graded)
		}
		out = append(out, fc)
	}
	slices.SortFunc(out, func(a, b failedCheck) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Lab, b.Lab))
	})
	return out
}

func failedKeys(r *report.Report) []grade.LabRule {
	var keys []grade.LabRule
	for _, l := range r.Labs {
		for _, c := range l.Checks {
			if c.Status == grade.Fail {
				keys = append(keys, grade.LabRule{Lab: l.ID, Rule: c.Rule})
			}
		}
	}
	return keys
}

// key names a check in the page: its lab and rule (a Kubernetes rule
// also counts for the helm lab, on the rendered chart).
func key(k grade.LabRule) string { return string(k.Lab) + "/" + k.Rule }

func newSubRow(i int, r Row, labs []grade.RubricLab) subRow {
	s := subRow{N: i, Name: r.Submission, Path: r.Path, Error: r.Error, Sort: "-1",
		Errors: r.Findings["error"], Warnings: r.Findings["warning"], Infos: r.Findings["info"]}
	if r.Error == "" {
		s.Points, s.Max, s.Reachable, s.Sort = num(r.Points), num(r.Max), num(r.Reachable), num(r.Points)
		s.ReachableLt = r.Reachable < r.Max
	}
	for _, l := range labs {
		c := labCell{Sort: "-1"}
		if v, ok := r.Labs[l.ID]; ok && r.Error == "" {
			c = labCell{Text: num(v), Sort: num(v)}
		}
		s.Labs = append(s.Labs, c)
	}
	if r.Report == nil || r.Error != "" {
		return s
	}
	var keys []string
	for _, k := range failedKeys(r.Report) {
		keys = append(keys, key(k))
	}
	s.Failed = strings.Join(keys, " ")
	for _, l := range r.Report.Labs {
		d := labDetail{Title: l.Title, Points: num(l.Points), Max: num(l.Max), Reachable: num(l.Reachable)}
		for _, c := range l.Checks {
			switch c.Status {
			case grade.Fail:
				d.Failed = append(d.Failed, strings.TrimSpace(c.Rule+" "+c.Name))
			case grade.Skip, grade.Error:
				d.NotRun++
			}
		}
		s.Detail = append(s.Detail, d)
	}
	for _, f := range r.Report.Findings {
		if f.Suppressed {
			s.Waived++
			continue
		}
		// Files are shown relative to the submission's folder, as a
		// student would name them.
		where := strings.TrimPrefix(filepath.ToSlash(f.File), strings.TrimSuffix(r.Path, "/")+"/")
		if f.Line > 0 {
			where = fmt.Sprintf("%s:%d", where, f.Line)
		}
		s.Findings = append(s.Findings, findingLine{Severity: string(f.Severity), Rule: f.Rule, Where: where, Message: f.Message})
	}
	return s
}

// coord formats an SVG coordinate: two decimals at most, the same on every
// platform.
func coord(f float64) string { return strconv.FormatFloat(float64(int64(f*100+0.5))/100, 'f', -1, 64) }

func round(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }

func round1(f float64) string { return num(float64(int64(f*10+0.5)) / 10) }
