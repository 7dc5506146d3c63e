package gradebook

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/grade"
	"github.com/labcheck/labcheck/internal/report"
	"github.com/labcheck/labcheck/internal/settings"
)

// graded grades a class folder into the rows the HTML page shows.
func graded(t testing.TB, eng *engine.Engine, rub *grade.Rubric, dir string) []Row {
	t.Helper()
	subs, err := Find([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	return Run(context.Background(), subs, Options{Settings: instructor(t, rub.Name)})
}

func defaultRubric(t testing.TB, eng *engine.Engine) *grade.Rubric {
	t.Helper()
	rub, err := settings.LoadRubric(eng, "module02", "")
	if err != nil {
		t.Fatal(err)
	}
	return rub
}

func catalog(eng *engine.Engine) map[string]*engine.Rule {
	m := map[string]*engine.Rule{}
	for _, r := range eng.Rules() {
		m[r.ID] = r
	}
	return m
}

func render(t testing.TB, rub *grade.Rubric, eng *engine.Engine, entries []Row) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, rub, catalog(eng), entries); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// hostileName is a submission folder's name; hostileFile is a file name in
// it; hostileImage is a YAML value that a finding's message quotes.
const (
	hostileName  = `"><svg onload=alert(3)>`
	hostileFile  = `<img src=x onerror=alert(1)>.yaml`
	hostileImage = `quay.io/minio/minio:</script><script>alert(2)</script>`
)

// hostileClass is a class of one passing submission and one whose name,
// file name and YAML value try to inject markup into the page.
func hostileClass(t *testing.T) string {
	t.Helper()
	dir := class(t, 1, "passing")
	bad := filepath.Join(dir, hostileName)
	if err := os.Rename(filepath.Join(dir, "passing-000"), bad); err != nil {
		t.Fatal(err)
	}
	k8s := filepath.Join(bad, "labs", "kubernetes")
	data, err := os.ReadFile(filepath.Join(k8s, "05-statefulset.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte("image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z"), []byte(`image: "`+hostileImage+`"`), 1)
	if !bytes.Contains(data, []byte(hostileImage)) {
		t.Fatal("the fixture's image line moved; update the test")
	}
	if err := os.WriteFile(filepath.Join(k8s, hostileFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(k8s, "05-statefulset.yaml")); err != nil {
		t.Fatal(err)
	}
	class2 := class(t, 1, "passing")
	if err := os.Rename(filepath.Join(class2, "passing-000"), filepath.Join(dir, "passing-000")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// A submission cannot put markup or script into the instructor's page:
// its folder name, a file name and a YAML value its findings quote come
// out as text, and the page's only script is labcheck's.
func TestHTMLEscapesStudentText(t *testing.T) {
	eng, rub := setup(t)
	entries := graded(t, eng, rub, hostileClass(t))
	quoted := false
	for _, e := range entries {
		if e.Report != nil {
			for _, f := range e.Report.Findings {
				quoted = quoted || strings.Contains(f.Message, hostileImage) && strings.Contains(f.File, hostileFile)
			}
		}
	}
	if !quoted {
		t.Fatal("no finding quotes the hostile image in the hostile file: the test would prove nothing")
	}
	page := render(t, rub, eng, entries)

	var scripts []string
	var text strings.Builder
	z := html.NewTokenizer(bytes.NewReader(page))
	inScript := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			switch tok.Data {
			case "img", "iframe", "object", "embed", "base", "form":
				t.Errorf("the page holds a <%s> element", tok.Data)
			case "script":
				inScript = true
			}
			for _, a := range tok.Attr {
				if strings.HasPrefix(a.Key, "on") {
					t.Errorf("<%s> has an event handler attribute %s=%q", tok.Data, a.Key, a.Val)
				}
			}
		case html.EndTagToken:
			inScript = inScript && tok.Data != "script"
		case html.TextToken:
			if inScript {
				scripts = append(scripts, tok.Data)
			} else {
				text.WriteString(tok.Data)
			}
		}
	}
	if len(scripts) != 1 || scripts[0] != classJS {
		t.Errorf("the page has %d scripts, want only labcheck's", len(scripts))
	}
	for _, s := range []string{hostileName, hostileFile, hostileImage} {
		if !strings.Contains(text.String(), s) {
			t.Errorf("the page does not show %q as text", s)
		}
	}
}

// The same class gives the same page, byte for byte, however the run went
// (jobs finish in any order, durations differ).
func TestHTMLIsDeterministic(t *testing.T) {
	eng, rub := setup(t)
	dir := class(t, 2, "passing", "docker-latest", "k8s-insecure")
	first := render(t, rub, eng, graded(t, eng, rub, dir))
	second := render(t, rub, eng, graded(t, eng, rub, dir))
	if !bytes.Equal(first, second) {
		t.Error("two renderings of the same class differ")
	}
}

// What the page shows, read from its markup (no JavaScript): the
// histograms count every graded submission, the most-failed check is
// counted per submission with its rule's title and documentation link, the
// submissions table has a row per submission and the one that could not be
// graded stands out.
func TestHTMLContents(t *testing.T) {
	eng, rub := setup(t)
	dir := class(t, 3, "passing", "docker-latest")
	entries := graded(t, eng, rub, dir)
	entries = append(entries, Row{Submission: "zz-broken", Path: "zz-broken", Error: "not graded: took longer than 1m0s"})
	doc, err := html.Parse(bytes.NewReader(render(t, rub, eng, entries)))
	if err != nil {
		t.Fatal(err)
	}
	for _, fig := range all(doc, "figure") {
		sum := 0
		for _, r := range all(fig, "rect") {
			n, _ := strconv.Atoi(attr(r, "data-count"))
			sum += n
		}
		if bars := len(all(fig, "rect")); bars != histBins || sum != 6 || attr(fig, "data-total") != "6" {
			t.Errorf("histogram %s: %d bars adding up to %d (data-total %s), want %d bars adding up to the 6 graded submissions", attr(fig, "id"), bars, sum, attr(fig, "data-total"), histBins)
		}
	}
	checks := all(find(doc, "table", "class", "checks"), "tr")
	if len(checks) < 2 {
		t.Fatal("no most-failed checks")
	}
	first := textOf(checks[1])
	rule, _ := eng.Rule("DOCKER-002")
	if !strings.Contains(first, "DOCKER-002") || !strings.Contains(first, "3 (50%)") || !strings.Contains(first, rule.Title) {
		t.Errorf("most-failed first row = %q, want DOCKER-002 failed by 3 of 6 with its title", first)
	}
	if a := all(checks[1], "a"); len(a) == 0 || attr(a[0], "href") != report.DocsURL+"#docker-002" {
		t.Errorf("DOCKER-002 does not link to its entry in docs/rules.md")
	}
	rows := all(find(doc, "table", "id", "subs"), "tr")[1:]
	if len(rows) != 7 {
		t.Fatalf("submissions table has %d rows, want 7", len(rows))
	}
	last := rows[6]
	if attr(last, "class") != "err" || !strings.Contains(textOf(last), "not graded") {
		t.Errorf("the ungraded row is %q (class %q), want it marked", textOf(last), attr(last, "class"))
	}
	if f := attr(rows[0], "data-failed"); !strings.Contains(f, "docker/DOCKER-002") {
		t.Errorf("docker-latest's row lists failed checks %q, want docker/DOCKER-002", f)
	}
	var details []*html.Node
	for _, d := range all(doc, "details") {
		if strings.HasPrefix(attr(d, "id"), "s-") {
			details = append(details, d)
		}
	}
	if len(details) != 7 || !strings.Contains(textOf(details[0]), "DOCKER-002") || !strings.Contains(textOf(details[0]), "Dockerfile:") {
		t.Errorf("%d details; the drill-down of docker-latest does not show its DOCKER-002 finding at file:line: %q", len(details), textOf(details[0]))
	}
}

// The reachable maximum is marked on the histograms when the dynamic checks
// did not run.
func TestHTMLMarksReachable(t *testing.T) {
	eng, _ := setup(t)
	rub := defaultRubric(t, eng)
	entries := graded(t, eng, rub, class(t, 1, "passing"))
	doc, err := html.Parse(bytes.NewReader(render(t, rub, eng, entries)))
	if err != nil {
		t.Fatal(err)
	}
	total := find(doc, "figure", "id", "h-total")
	if marks := all(total, "line"); len(marks) != 2 || !strings.Contains(textOf(total), "reachable 60") {
		t.Errorf("total histogram: %d lines, text %q; want the axis and a mark at 60", len(marks), textOf(total))
	}
}

// BenchmarkHTML renders the page of a class of 200 and reports its size.
func BenchmarkHTML(b *testing.B) {
	eng, rub := setup(b)
	entries := graded(b, eng, rub, class(b, 50, "passing", "docker-latest", "k8s-insecure", "istio-allow-all"))
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteHTML(&buf, rub, catalog(eng), entries); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "page-bytes")
}

func all(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	for c := range n.Descendants() {
		if c.Type == html.ElementNode && c.Data == tag {
			out = append(out, c)
		}
	}
	return out
}

func find(n *html.Node, tag, key, val string) *html.Node {
	for _, c := range all(n, tag) {
		if attr(c, key) == val {
			return c
		}
	}
	panic(fmt.Sprintf("no <%s %s=%q>", tag, key, val))
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}
