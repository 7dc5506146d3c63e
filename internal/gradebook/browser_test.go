package gradebook

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chromium finds the browser: $LABCHECK_CHROMIUM, or Debian's chromium.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("LABCHECK_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium (Debian: apt-get install chromium, or set LABCHECK_CHROMIUM): the class report is not checked in a browser")
	return ""
}

// artifacts is where the browser test leaves the page and its screenshots
// for a person to look at: $LABCHECK_ARTIFACTS, or a folder under the
// system's temporary one. Nothing there is committed.
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("LABCHECK_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "labcheck-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// browserClass is a class of 200: fifty copies of each of four graded
// submissions (full marks, and full marks but for one lab taken from a
// failing fixture), plus one that could not be graded.
func browserClass(t testing.TB) (entries []Row, latest int) {
	t.Helper()
	eng, rub := setup(t)
	dir := t.TempDir()
	variant(t, dir, "full")
	variant(t, dir, "latest", "docker-latest/labs/docker")
	variant(t, dir, "insecure", "k8s-insecure/labs/kubernetes")
	variant(t, dir, "allowall", "istio-allow-all/labs/istio")
	base := graded(t, eng, rub, dir)
	for i := range 50 {
		for _, e := range base {
			e.Submission = fmt.Sprintf("%s-%03d", e.Submission, i)
			entries = append(entries, e)
		}
	}
	entries = append(entries, Row{Submission: "zz-crashed", Path: "zz-crashed", Error: "labcheck crashed on this submission (please report it): boom"})
	return entries, 50
}

// variant copies the full-marks fixture to dir/name, with each of the
// given fixture folders replacing its counterpart.
func variant(t testing.TB, dir, name string, overlays ...string) {
	t.Helper()
	dst := filepath.Join(dir, name)
	cp(t, "../../fixtures/passing", dst)
	for _, o := range overlays {
		rel := strings.SplitN(o, "/", 2)[1]
		if err := os.RemoveAll(filepath.Join(dst, rel)); err != nil {
			t.Fatal(err)
		}
		cp(t, filepath.Join("../../fixtures", o), filepath.Join(dst, rel))
	}
}

func cp(t testing.TB, src, dst string) {
	t.Helper()
	if out, err := exec.Command("cp", "-r", src, dst).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
}

// TestHTMLInBrowser opens the class report of 200 submissions from disk in
// headless Chromium and uses it as an instructor would: the histograms
// count everyone, sorting and filtering change the rows shown, a name opens
// its drill-down, the keyboard works, nothing is fetched and nothing is
// logged as an error. It leaves the page and screenshots (light and dark)
// in the artifacts folder.
func TestHTMLInBrowser(t *testing.T) {
	exe := chromium(t)
	eng, rub := setup(t)
	entries, latest := browserClass(t)
	out := artifacts(t)
	pagePath := filepath.Join(out, "class.html")
	page := render(t, rub, eng, entries)
	if err := os.WriteFile(pagePath, page, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("class report of %d submissions: %d bytes, %s", len(entries), len(page), pagePath)

	var mu sync.Mutex
	var requests, problems []string
	listen := func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			requests = append(requests, ev.Request.URL)
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				problems = append(problems, fmt.Sprintf("console.%s", ev.Type))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Text)
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.EntryLevelError || ev.Entry.Level == cdplog.EntryLevelWarning {
				problems = append(problems, fmt.Sprintf("%s: %s", ev.Entry.Source, ev.Entry.Text))
			}
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		// The page is our own file; Chromium's sandbox cannot start as root
		// or in most containers, and it is not what is tested here.
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 1500),
	)
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(alloc, chromedp.WithListener(listen))
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	ctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	_, err := chromedp.Call(ctx, network.Enable, network.EnableParams{})
	must("network.enable", err)
	_, err = chromedp.Call(ctx, cdplog.Enable, cdp.Empty{})
	must("log.enable", err)

	fileURL := (&url.URL{Scheme: "file", Path: pagePath}).String()
	start := time.Now()
	must("open the page", chromedp.Do(ctx, chromedp.Navigate(fileURL)))
	wall := time.Since(start)
	timing := func() string {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const n = performance.getEntriesByType('navigation')[0]; return ['responseEnd', 'domInteractive', 'domContentLoadedEventEnd', 'loadEventEnd'].map(k => k + ' ' + Math.round(n[k]) + ' ms').join(', ') })()`))
		must("read the load time", err)
		return s
	}
	t.Logf("opened in %s (%s)", wall.Round(time.Millisecond), timing())
	start = time.Now()
	must("reload the page", chromedp.Do(ctx, chromedp.Reload()))
	t.Logf("reloaded in %s (%s)", time.Since(start).Round(time.Millisecond), timing())

	eval := func(js string) int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](js))
		must(js, err)
		return n
	}
	visible := func() int {
		return eval(`[...document.querySelectorAll('#subs tbody tr')].filter(r => !r.hidden).length`)
	}
	graded := len(entries) - 1

	// The histograms: ten bars each, adding up to the graded submissions.
	if n := eval(`document.querySelectorAll('#h-total rect.bar').length`); n != histBins {
		t.Errorf("total histogram has %d bars, want %d", n, histBins)
	}
	if n := eval(`[...document.querySelectorAll('#h-total rect.bar')].reduce((s, r) => s + +r.dataset.count, 0)`); n != graded {
		t.Errorf("total histogram counts %d submissions, want %d", n, graded)
	}
	if n := eval(`document.querySelectorAll('figure').length`); n != 5 {
		t.Errorf("%d histograms, want the total and one per lab", n)
	}
	if n := visible(); n != len(entries) {
		t.Fatalf("%d rows shown at first, want %d", n, len(entries))
	}
	if n := eval(`document.querySelectorAll('#subs tbody tr.err').length`); n != 1 {
		t.Errorf("%d rows marked as not graded, want 1", n)
	}

	// Filtering by name, then by failed check (the "show" button of the
	// most-failed table).
	must("type a name", chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("f-name"), "latest")))
	if n := visible(); n != latest {
		t.Errorf("filtered by name: %d rows shown, want %d", n, latest)
	}
	eval(`(() => { const f = document.getElementById('f-name'); f.value = ''; f.dispatchEvent(new Event('input')); return 1 })()`)
	if n := visible(); n != len(entries) {
		t.Errorf("name cleared: %d rows shown, want %d", n, len(entries))
	}
	must("show who fails DOCKER-002", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[data-check="docker/DOCKER-002"]`))))
	if n := visible(); n != latest {
		t.Errorf("filtered by DOCKER-002: %d rows shown, want %d", n, latest)
	}
	shown, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("shown")))
	must("read the count", err)
	if want := fmt.Sprintf("%d of %d shown", latest, len(entries)); shown != want {
		t.Errorf("count says %q, want %q", shown, want)
	}
	must("show every check", chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("f-check"), "")))
	eval(`document.getElementById('f-check').dispatchEvent(new Event('change')) ? 1 : 0`)

	// Sorting by points, from the keyboard: ascending puts the ungraded row
	// first, descending a full-marks one.
	first := func() string {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#subs tbody tr').dataset.name`))
		must("read the first row", err)
		return s
	}
	before := first()
	must("sort by points", chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(`#subs thead th:nth-child(2) button`)), chromedp.KeyEvent(kb.Enter)))
	if got := first(); got != "zz-crashed" {
		t.Errorf("sorted by points ascending, the first row is %q (was %q), want the ungraded one", got, before)
	}
	must("sort again", chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)))
	if got := first(); !strings.HasPrefix(got, "full-") {
		t.Errorf("sorted by points descending, the first row is %q, want a full-marks one", got)
	}
	if n := eval(`(() => { const v = [...document.querySelectorAll('#subs tbody tr')].map(r => +r.cells[1].dataset.v); return v.every((x, i) => i == 0 || v[i-1] >= x) ? 1 : 0 })()`); n != 1 {
		t.Error("rows are not in descending order of points")
	}

	// The drill-down: clicking a name opens its details with the findings.
	must("open a drill-down", chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("f-name"), "latest-007"), chromedp.Click(chromedp.CSS(`#subs tbody tr:not([hidden]) a`))))
	if n := eval(`(() => { const d = document.querySelector('details[open]'); return d && d.querySelector('summary').textContent.startsWith('latest-007') && d.querySelector('.findings').offsetHeight > 0 && d.textContent.includes('Dockerfile:') ? 1 : 0 })()`); n != 1 {
		t.Error("clicking latest-007 did not open its drill-down with its findings at file:line")
	}
	_, err = chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
	must("dark mode", err)
	if n := eval(`getComputedStyle(document.body).backgroundColor === 'rgb(13, 17, 23)' ? 1 : 0`); n != 1 {
		t.Error("the page does not turn dark when the system prefers it")
	}
	screenshot := func(name string, a chromedp.Action[[]byte]) {
		t.Helper()
		png, err := chromedp.Run(ctx, a)
		must("screenshot "+name, err)
		must("write "+name, os.WriteFile(filepath.Join(out, name), png, 0o644))
		t.Logf("screenshot: %s", filepath.Join(out, name))
	}
	screenshot("class-drilldown-dark.png", chromedp.CaptureScreenshot())

	_, err = chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "light"}}})
	must("light mode", err)
	eval(`(() => { const f = document.getElementById('f-name'); f.value = ''; f.dispatchEvent(new Event('input')); window.scrollTo(0, 0); return 1 })()`)
	screenshot("class.png", chromedp.CaptureScreenshot())
	screenshot("class-full.png", chromedp.FullScreenshot(100))

	mu.Lock()
	defer mu.Unlock()
	for _, u := range requests {
		if u != fileURL && !strings.HasPrefix(u, "data:") {
			t.Errorf("the page fetched %s", u)
		}
	}
	for _, p := range problems {
		t.Errorf("browser reported: %s", p)
	}
}
