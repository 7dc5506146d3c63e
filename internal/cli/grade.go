package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labcheck/labcheck/internal/config"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/grade"
	"github.com/labcheck/labcheck/internal/gradebook"
)

func runGrade(ctx context.Context, e env, args []string) int {
	fs := newFlags("labcheck grade", e)
	out := fs.String("out", "gradebook", "write OUT.csv and OUT.json")
	jobs := fs.Int("jobs", 2, "submissions checked at once")
	timeout := fs.Duration("timeout", time.Minute, "time limit per submission")
	cfgPath := fs.String("config", "", "the instructor's config (waivers count only if it sets grading.allowWaivers)")
	rubricPath := fs.String("rubric", "", "grading rubric: a file, or a built-in one: module02 (default; static and dynamic checks), module02-static")
	labs := fs.StringSlice("lab", nil, "grade only these labs")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, "Usage: labcheck grade [flags] DIR ...\n\nGrades one submission per DIR, or each subfolder of a single DIR,\nand writes a gradebook as CSV and JSON.\n\nFlags:\n", fs.FlagUsages())
	}
	if code, stop := parseFlags(e, fs, args); stop {
		return code
	}
	if fs.NArg() == 0 {
		return errorf(e, "grade needs at least one folder (see labcheck grade --help)")
	}
	cfg := &config.Config{}
	if *cfgPath != "" {
		c, err := config.Load(*cfgPath)
		if err != nil {
			return errorf(e, "%v", err)
		}
		cfg = c
	}
	eng, err := builtin()
	if err != nil {
		return errorf(e, "%v", err)
	}
	rubricDir := ""
	if *rubricPath == "" && cfg.Rubric != "" {
		*rubricPath, rubricDir = cfg.Rubric, filepath.Dir(cfg.Path)
	}
	rubric, err := loadRubric(eng, *rubricPath, rubricDir)
	if err != nil {
		return errorf(e, "%v", err)
	}
	var labIDs []finding.Lab
	for _, l := range append(*labs, cfg.Labs...) {
		lab, err := finding.ParseLab(l)
		if err != nil {
			return errorf(e, "--lab: %v", err)
		}
		labIDs = append(labIDs, lab)
	}
	subs, err := gradebook.Find(fs.Args())
	if err != nil {
		return errorf(e, "%v", err)
	}
	progress := plainProgress(e.stderr)
	if colorWanted(e, e.stderr, false) {
		progress = barProgress(e.stderr)
	}
	rows := gradebook.Run(ctx, subs, gradebook.Options{
		Engine:       eng,
		Rubric:       rubric,
		Labs:         labIDs,
		AllowWaivers: cfg.Grading.AllowWaivers != nil && *cfg.Grading.AllowWaivers,
		Jobs:         *jobs,
		Timeout:      *timeout,
		Progress:     progress,
	})
	for ext, write := range map[string]func(io.Writer) error{
		".csv":  func(w io.Writer) error { return gradebook.WriteCSV(w, rubric, rows) },
		".json": func(w io.Writer) error { return gradebook.WriteJSON(w, rubric, rows) },
	} {
		if err := writeTo(*out+ext, write); err != nil {
			return errorf(e, "%v", err)
		}
	}
	failed := 0
	for _, r := range rows {
		if r.Error != "" {
			failed++
		}
	}
	fmt.Fprintf(e.stdout, "graded %d submissions (%d could not be graded): wrote %s.csv and %s.json\n", len(rows), failed, *out, *out)
	if max, dyn := rubricShare(rubric, labIDs); dyn > 0 {
		fmt.Fprintf(e.stdout, "note: rubric %s gives %s points to dynamic checks, which grade does not run (they need labcheck verify): every submission reaches at most %s of %s; --rubric module02-static gives every point to the static checks\n",
			rubric.Name, num(dyn), num(max-dyn), num(max))
	}
	return ExitOK
}

func writeTo(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
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

// barProgress redraws one progress bar on a terminal.
func barProgress(w io.Writer) func(int, int, gradebook.Row) {
	return func(done, total int, _ gradebook.Row) {
		const width = 30
		n := done * width / total
		fmt.Fprintf(w, "\r[%s%s] %d/%d", strings.Repeat("#", n), strings.Repeat(" ", width-n), done, total)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// rubricShare is the rubric's maximum for the labs graded (all when labs
// is empty), and how much of it dynamic checks carry.
func rubricShare(r *grade.Rubric, labs []finding.Lab) (max, dynamic float64) {
	for _, l := range r.Labs {
		if len(labs) > 0 && !slices.Contains(labs, l.ID) {
			continue
		}
		max += l.Max
		for _, c := range l.Checks {
			if finding.PhaseOf(c.Rule) == finding.Dynamic {
				dynamic += c.Points
			}
		}
	}
	return max, dynamic
}
