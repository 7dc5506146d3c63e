package gradebook

import (
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/grade"
	"github.com/labcheck/labcheck/internal/report"
	"github.com/labcheck/labcheck/internal/settings"
)

// Submission is one student's folder.
type Submission struct {
	Name string // the folder's name, the row's key
	Path string
}

// Row is one submission's line in the gradebook.
type Row struct {
	Submission string                  `json:"submission"`
	Path       string                  `json:"path"`
	Status     RowStatus               `json:"status"`
	Points     float64                 `json:"points"`
	Max        float64                 `json:"max"`
	Reachable  float64                 `json:"reachable"` // max less the dynamic checks that did not run
	Labs       map[finding.Lab]float64 `json:"labs"`
	Findings   map[string]int          `json:"findings"` // by severity, unsuppressed
	Error      string                  `json:"error,omitempty"`
	Seconds    float64                 `json:"-"`
	// Report is the submission's full report (what labcheck --format json
	// prints for it), for drill-down.
	Report *report.Report `json:"report,omitempty"`
}

// RowStatus says whether a submission was graded.
type RowStatus string

// Row statuses.
const (
	Graded      RowStatus = "graded"
	Failed      RowStatus = "failed"      // labcheck could not grade it: it crashed or took too long, or its report cannot count here
	Interrupted RowStatus = "interrupted" // the run was stopped before it was graded
)

// RowOf is a submission's row, from its report.
func RowOf(name, path string, rep *report.Report) Row {
	row := Row{Submission: name, Path: filepath.ToSlash(path), Status: Graded, Labs: map[finding.Lab]float64{}, Findings: map[string]int{}, Report: rep}
	row.Points, row.Max, row.Reachable = rep.Score.Points, rep.Score.Max, rep.Score.Reachable
	for _, l := range rep.Labs {
		row.Labs[l.ID] = l.Points
	}
	for _, f := range rep.Findings {
		if !f.Suppressed {
			row.Findings[string(f.Severity)]++
		}
	}
	return row
}

// Options configure a class run.
type Options struct {
	Settings *settings.Settings // resolved in Grade mode: the instructor's config and rubric
	Jobs     int                // parallel submissions; 0 means 2
	Timeout  time.Duration      // per submission; 0 means one minute
	// Done is called with each row as soon as it is graded (or not), one
	// call at a time, with how many rows are done of how many.
	Done func(done, total int, r Row)
}

// Find lists the submissions under dirs: each dir is one submission, unless
// a single dir is given that is not itself a submission, in which case
// each of its subfolders is one.
func Find(dirs []string) ([]Submission, error) {
	if len(dirs) == 1 && !looksLikeSubmission(dirs[0]) {
		entries, err := os.ReadDir(dirs[0])
		if err != nil {
			return nil, err
		}
		var subs []Submission
		for _, e := range entries {
			if e.IsDir() && e.Name()[0] != '.' {
				subs = append(subs, Submission{Name: e.Name(), Path: filepath.Join(dirs[0], e.Name())})
			}
		}
		if len(subs) == 0 {
			return nil, fmt.Errorf("%s holds no submission folders", dirs[0])
		}
		return subs, nil
	}
	var subs []Submission
	for _, d := range dirs {
		info, err := os.Stat(d)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("%s is not a folder", d)
		}
		abs, _ := filepath.Abs(d)
		subs = append(subs, Submission{Name: filepath.Base(abs), Path: d})
	}
	return subs, nil
}

// looksLikeSubmission: a labs folder, a lab's folder, or a Dockerfile.
func looksLikeSubmission(dir string) bool {
	for _, name := range []string{"labs", "docker", "kubernetes", "helm", "istio", "Dockerfile"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}

// Run grades every submission and returns the rows sorted by name. When
// ctx is cancelled, what is graded stays graded and every other row says
// it was interrupted.
func Run(ctx context.Context, subs []Submission, o Options) []Row {
	jobs := cmp.Or(o.Jobs, 2)
	timeout := cmp.Or(o.Timeout, time.Minute)
	rows := make([]Row, len(subs))
	next := make(chan int)
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			for i := range next {
				rows[i] = o.one(ctx, subs[i], timeout)
				mu.Lock()
				done++
				if o.Done != nil {
					o.Done(done, len(subs), rows[i])
				}
				mu.Unlock()
			}
		})
	}
	for i := range subs {
		next <- i
	}
	close(next)
	wg.Wait()
	slices.SortFunc(rows, func(a, b Row) int { return cmp.Compare(a.Submission, b.Submission) })
	return rows
}

// one grades a submission within timeout, through the same check and
// grading function as labcheck itself. A runaway submission's goroutine
// cannot be killed, only abandoned: its row says so and the class goes on.
func (o Options) one(ctx context.Context, s Submission, timeout time.Duration) Row {
	failed := func(status RowStatus, err string) Row {
		return Row{Submission: s.Name, Path: filepath.ToSlash(s.Path), Status: status, Labs: map[finding.Lab]float64{}, Findings: map[string]int{}, Error: err}
	}
	if ctx.Err() != nil {
		return failed(Interrupted, fmt.Sprintf("not graded: %v", context.Cause(ctx)))
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	type result struct {
		rep *report.Report
		err error
	}
	ch := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- result{err: fmt.Errorf("labcheck crashed on this submission (please report it): %v\n%s", p, debug.Stack())}
			}
		}()
		checked, err := o.Settings.Check(ctx, []string{s.Path})
		if err != nil {
			ch <- result{err: err}
			return
		}
		rep, err := o.Settings.Report(checked, nil)
		ch <- result{rep: rep, err: err}
	}()
	var row Row
	select {
	case r := <-ch:
		if r.err != nil {
			row = failed(Failed, r.err.Error())
		} else {
			row = RowOf(s.Name, s.Path, r.rep)
		}
	case <-ctx.Done():
		switch {
		case errors.Is(ctx.Err(), context.DeadlineExceeded):
			row = failed(Failed, fmt.Sprintf("not graded: took longer than %s", timeout))
		default:
			row = failed(Interrupted, fmt.Sprintf("not graded: %v", context.Cause(ctx)))
		}
	}
	row.Seconds = time.Since(start).Seconds()
	return row
}

// WriteCSV writes one row per submission: total, maximum, the maximum
// reachable (less the dynamic checks that did not run), each lab, finding
// counts, the row's status and the error, if any.
func WriteCSV(w io.Writer, rubric *grade.Rubric, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader(rubric)); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(csvRecord(rubric, r)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvHeader(rubric *grade.Rubric) []string {
	header := []string{"submission", "status", "points", "max", "reachable"}
	for _, l := range rubric.Labs {
		header = append(header, string(l.ID))
	}
	return append(header, "errors", "warnings", "infos", "error")
}

func csvRecord(rubric *grade.Rubric, r Row) []string {
	rec := []string{r.Submission, string(r.Status), num(r.Points), num(r.Max), num(r.Reachable)}
	for _, l := range rubric.Labs {
		v, ok := r.Labs[l.ID]
		rec = append(rec, map[bool]string{true: num(v), false: ""}[ok])
	}
	return append(rec, strconv.Itoa(r.Findings["error"]), strconv.Itoa(r.Findings["warning"]), strconv.Itoa(r.Findings["info"]), r.Error)
}

// Book is the JSON gradebook.
type Book struct {
	Version int    `json:"version"`
	Rubric  string `json:"rubric"`
	// Status is "complete" when every submission was graded or given up
	// on, "incomplete" when the run was interrupted, and "running" while
	// the run goes on: a file left saying "running" is from a run that
	// was killed, whose finished rows are in the CSV.
	Status      string  `json:"status"`
	Summary     Summary `json:"summary"`
	Submissions []Row   `json:"submissions"`
}

// WriteJSON writes the gradebook as JSON.
func WriteJSON(w io.Writer, rubric *grade.Rubric, rows []Row) error {
	sum := Summarize(rows)
	return writeBook(w, Book{Version: 1, Rubric: rubric.Name, Status: sum.status(), Summary: sum, Submissions: rows})
}

func writeBook(w io.Writer, b Book) error {
	if b.Submissions == nil {
		b.Submissions = []Row{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(b)
}

// Summary counts what a class run did.
type Summary struct {
	Submissions int `json:"submissions"`
	Graded      int `json:"graded"`
	Failed      int `json:"failed"`      // labcheck could not grade them (crash, time limit, a report refused)
	Interrupted int `json:"interrupted"` // not graded: the run was stopped first
}

// Summarize counts rows by status.
func Summarize(rows []Row) Summary {
	s := Summary{Submissions: len(rows)}
	for _, r := range rows {
		switch r.Status {
		case Graded:
			s.Graded++
		case Interrupted:
			s.Interrupted++
		default:
			s.Failed++
		}
	}
	return s
}

func (s Summary) status() string {
	if s.Interrupted > 0 {
		return "incomplete"
	}
	return "complete"
}

// String is the run's closing line: "graded 73 of 300 submissions; 227
// not graded (interrupted)".
func (s Summary) String() string {
	out := fmt.Sprintf("graded %d of %d submissions", s.Graded, s.Submissions)
	if s.Failed > 0 {
		out += fmt.Sprintf("; %d could not be graded (see their error: a crash, the time limit, or a report that cannot count here)", s.Failed)
	}
	if s.Interrupted > 0 {
		out += fmt.Sprintf("; %d not graded (interrupted)", s.Interrupted)
	}
	return out
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
