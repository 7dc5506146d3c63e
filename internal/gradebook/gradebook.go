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

	"github.com/labcheck/labcheck/internal/check"
	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/grade"
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
	Points     float64                 `json:"points"`
	Max        float64                 `json:"max"`
	Reachable  float64                 `json:"reachable"` // max less the dynamic checks grade cannot run
	Labs       map[finding.Lab]float64 `json:"labs"`
	Findings   map[string]int          `json:"findings"` // by severity, unsuppressed
	Error      string                  `json:"error,omitempty"`
	Seconds    float64                 `json:"-"`
}

// Options configure a class run.
type Options struct {
	Engine       *engine.Engine
	Rubric       *grade.Rubric
	Labs         []finding.Lab
	AllowWaivers bool
	Jobs         int           // parallel submissions; 0 means 2
	Timeout      time.Duration // per submission; 0 means one minute
	Progress     func(done, total int, r Row)
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

// Run grades every submission and returns the rows sorted by name.
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
				if o.Progress != nil {
					o.Progress(done, len(subs), rows[i])
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

// one grades a submission within timeout. A runaway submission's goroutine
// cannot be killed, only abandoned: its row says so and the class goes on.
func (o Options) one(ctx context.Context, s Submission, timeout time.Duration) Row {
	row := Row{Submission: s.Name, Path: filepath.ToSlash(s.Path), Labs: map[finding.Lab]float64{}, Findings: map[string]int{}}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	type result struct {
		g   grade.Grades
		fs  []finding.Finding
		err error
	}
	ch := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- result{err: fmt.Errorf("labcheck crashed on this submission (please report it): %v\n%s", p, debug.Stack())}
			}
		}()
		res, err := check.Run(ctx, o.Engine, []string{s.Path}, check.Options{Labs: o.Labs})
		if err != nil {
			ch <- result{err: err}
			return
		}
		g := o.Rubric.Grade(res.Findings, grade.Options{AllowWaivers: o.AllowWaivers, Checked: checked(o.Labs), Submitted: res.Submitted})
		ch <- result{g: g, fs: res.Findings}
	}()
	select {
	case r := <-ch:
		row.Seconds = time.Since(start).Seconds()
		if r.err != nil {
			row.Error = r.err.Error()
			return row
		}
		row.Points, row.Max, row.Reachable = r.g.Score.Points, r.g.Score.Max, r.g.Score.Reachable
		for _, l := range r.g.Labs {
			row.Labs[l.ID] = l.Points
		}
		for _, f := range r.fs {
			if !f.Suppressed {
				row.Findings[string(f.Severity)]++
			}
		}
	case <-ctx.Done():
		row.Seconds = time.Since(start).Seconds()
		row.Error = fmt.Sprintf("not graded: %v", context.Cause(ctx))
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			row.Error = fmt.Sprintf("not graded: took longer than %s", timeout)
		}
	}
	return row
}

func checked(labs []finding.Lab) map[finding.Lab]bool {
	m := map[finding.Lab]bool{}
	for _, l := range finding.Labs {
		m[l] = len(labs) == 0 || slices.Contains(labs, l)
	}
	return m
}

// WriteCSV writes one row per submission: total, maximum, the maximum
// reachable without the dynamic phase, each lab, finding counts and the
// error, if any.
func WriteCSV(w io.Writer, rubric *grade.Rubric, rows []Row) error {
	cw := csv.NewWriter(w)
	header := []string{"submission", "points", "max", "reachable"}
	for _, l := range rubric.Labs {
		header = append(header, string(l.ID))
	}
	header = append(header, "errors", "warnings", "infos", "error")
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		rec := []string{r.Submission, num(r.Points), num(r.Max), num(r.Reachable)}
		for _, l := range rubric.Labs {
			v, ok := r.Labs[l.ID]
			rec = append(rec, map[bool]string{true: num(v), false: ""}[ok])
		}
		rec = append(rec, strconv.Itoa(r.Findings["error"]), strconv.Itoa(r.Findings["warning"]), strconv.Itoa(r.Findings["info"]), r.Error)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Book is the JSON gradebook.
type Book struct {
	Version     int    `json:"version"`
	Rubric      string `json:"rubric"`
	Submissions []Row  `json:"submissions"`
}

// WriteJSON writes the gradebook as JSON.
func WriteJSON(w io.Writer, rubric *grade.Rubric, rows []Row) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(Book{Version: 1, Rubric: rubric.Name, Submissions: rows})
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
