package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/gradebook"
	"github.com/labcheck/labcheck/internal/settings"
)

func runGrade(ctx context.Context, e env, args []string) int {
	fs := newFlags("labcheck grade", e)
	out := fs.String("out", "gradebook", "write OUT.csv, OUT.json and OUT.html (OUT's folder is created when missing)")
	reports := fs.StringSlice("reports", nil, "also grade from labcheck JSON reports produced elsewhere: a file, or a folder holding them (repeatable); nothing is run again")
	noHTML := fs.Bool("no-html", false, "do not write OUT.html, the class report")
	summary := fs.String("summary", "", "append the class summary as Markdown to this file (such as $GITHUB_STEP_SUMMARY)")
	jobs := fs.Int("jobs", 2, "submissions checked at once")
	timeout := fs.Duration("timeout", time.Minute, "time limit per submission")
	var f settings.Flags
	fs.StringVar(&f.Config, "config", "", "the instructor's config (waivers count only if it sets grading.allowWaivers)")
	fs.StringVar(&f.Rubric, "rubric", "", "grading rubric: a file, or a built-in one: module02 (default; static and dynamic checks), module02-static")
	fs.StringSliceVar(&f.Labs, "lab", nil, "grade only these labs")
	fs.BoolVar(&f.NoCache, "no-cache", false, "do not use or write the result cache")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, "Usage: labcheck grade [flags] DIR ...\n       labcheck grade [flags] --reports DIR [DIR ...]\n\nGrades one submission per DIR, or each subfolder of a single DIR, and\nthe labcheck JSON reports under --reports (one per submission, named\nafter its file, or its folder for labcheck.json), and writes a gradebook\nas CSV and JSON and the class report as HTML.\n\nFlags:\n", fs.FlagUsages())
	}
	if code, stop := parseFlags(e, fs, args); stop {
		return code
	}
	if fs.NArg() == 0 && len(*reports) == 0 {
		return errorf(e, "grade needs at least one folder or --reports (see labcheck grade --help)")
	}
	f.Version = Version
	s, err := settings.Resolve(ctx, settings.Grade, f, fs.Args())
	if err != nil {
		return errorf(e, "%v", err)
	}
	var subs []gradebook.Submission
	if fs.NArg() > 0 {
		if subs, err = gradebook.Find(fs.Args()); err != nil {
			return errorf(e, "%v", err)
		}
	}
	var files []gradebook.ReportFile
	if len(*reports) > 0 {
		if files, err = gradebook.FindReports(*reports); err != nil {
			return errorf(e, "%v", err)
		}
	}
	if err := gradebook.SameNames(subs, files); err != nil {
		return errorf(e, "%v", err)
	}
	total := len(files) + len(subs)
	// The output is made ready before the first submission is graded: a
	// gradebook that cannot be written must not throw away the work.
	book, err := gradebook.Create(*out, s.Rubric, total)
	if err != nil {
		return errorf(e, "%v", err)
	}
	progress := plainProgress(e.stderr)
	if colorWanted(e, e.stderr, false) {
		progress = barProgress(e.stderr, time.Now())
	}
	warned := false
	done := func(n int, r gradebook.Row) {
		if err := book.Add(r); err != nil && !warned {
			warned = true
			fmt.Fprintf(e.stderr, "labcheck: %v (grading goes on; the gradebook is written again at the end)\n", err)
		}
		progress(n, total, r)
	}
	// Reports are read first: they take milliseconds, and a report that
	// cannot count here is a row with the reason.
	want := gradebook.Expect{Rubric: s.Rubric, Digest: s.Rubric.Digest, Labs: s.Labs, Version: Version, AllowWaivers: s.AllowWaivers}
	var rows []gradebook.Row
	for i, f := range files {
		rows = append(rows, gradebook.FromReport(f, want))
		done(i+1, rows[i])
	}
	if len(subs) > 0 {
		rows = append(rows, gradebook.Run(ctx, subs, gradebook.Options{
			Settings: s,
			Jobs:     *jobs,
			Timeout:  *timeout,
			Done:     func(n, _ int, r gradebook.Row) { done(len(files)+n, r) },
		})...)
	}
	slices.SortFunc(rows, func(a, b gradebook.Row) int { return strings.Compare(a.Submission, b.Submission) })
	if err := book.Close(rows); err != nil {
		return errorf(e, "%v", err)
	}
	rules := map[string]*engine.Rule{}
	for _, r := range s.Engine.Rules() {
		rules[r.ID] = r
	}
	wrote := fmt.Sprintf("%s.csv and %s.json", *out, *out)
	if !*noHTML {
		if err := book.WriteHTML(rules, rows); err != nil {
			return errorf(e, "%v", err)
		}
		wrote = fmt.Sprintf("%s.csv, %s.json and %s.html", *out, *out, *out)
	}
	if *summary != "" {
		if err := appendTo(*summary, func(w io.Writer) error { return gradebook.WriteMarkdown(w, s.Rubric, rules, rows) }); err != nil {
			return errorf(e, "%v", err)
		}
	}
	fmt.Fprintf(e.stdout, "%s: wrote %s\n", gradebook.Summarize(rows), wrote)
	if max, dyn := s.Rubric.Max(s.Labs); dyn > 0 && len(subs) > 0 {
		fmt.Fprintf(e.stdout, "note: rubric %s gives %s points to dynamic checks, which grade does not run (they need labcheck verify): every submission reaches at most %s of %s; --rubric module02-static gives every point to the static checks\n",
			s.Rubric.Name, num(dyn), num(max-dyn), num(max))
	}
	return ExitOK
}

// appendTo appends to a file (a job summary collects several steps').
func appendTo(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// plainProgress prints a line per graded submission, for logs.
func plainProgress(w io.Writer) func(int, int, gradebook.Row) {
	return func(done, total int, r gradebook.Row) {
		status := fmt.Sprintf("%s/%s", num(r.Points), num(r.Max))
		if r.Error != "" {
			status = "error: " + firstLine(r.Error)
		}
		fmt.Fprintf(w, "[%d/%d] %s: %s\n", done, total, r.Submission, status)
	}
}

// barProgress redraws one progress line on a terminal: a bar, the time
// spent and, once a few submissions are done, an estimate of what is left.
func barProgress(w io.Writer, start time.Time) func(int, int, gradebook.Row) {
	return func(done, total int, _ gradebook.Row) {
		fmt.Fprint(w, "\r"+progressLine(done, total, time.Since(start)))
		if done == total {
			fmt.Fprintln(w)
		}
	}
}

// progressLine is the progress bar's text after done of total
// submissions in elapsed time.
func progressLine(done, total int, elapsed time.Duration) string {
	const width = 30
	n := done * width / max(total, 1)
	line := fmt.Sprintf("[%s%s] %d/%d %s", strings.Repeat("#", n), strings.Repeat(" ", width-n), done, total, elapsed.Round(time.Second))
	if done >= 3 && done < total {
		left := elapsed / time.Duration(done) * time.Duration(total-done)
		line += fmt.Sprintf(", about %s left", left.Round(time.Second))
	}
	return line + "   " // clears what a longer previous line left
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
