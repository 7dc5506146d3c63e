package gradebook

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/Masterminds/semver/v3"

	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/grade"
	"github.com/labcheck/labcheck/internal/report"
)

// ReportFile is a labcheck JSON report produced elsewhere (a workflow
// artifact): one submission, graded without running anything again.
type ReportFile struct {
	Name string // the submission's name, the row's key
	Path string
}

// actionReport is the name the labcheck Action gives its JSON report; such
// a file is named after its folder (one folder per downloaded artifact).
const actionReport = "labcheck.json"

// FindReports lists the JSON reports under paths: a file is one report, a
// folder holds reports at any depth. A report is named after its file
// without .json, or after its folder when the file is labcheck.json. Two
// reports of the same name are an error: which one counts is not for
// labcheck to guess.
func FindReports(paths []string) ([]ReportFile, error) {
	var out []ReportFile
	seen := map[string]string{}
	add := func(path string) error {
		r := ReportFile{Name: strings.TrimSuffix(filepath.Base(path), ".json"), Path: path}
		if filepath.Base(path) == actionReport {
			abs, err := filepath.Abs(path)
			if err != nil {
				return err
			}
			r.Name = filepath.Base(filepath.Dir(abs))
		}
		if other, ok := seen[r.Name]; ok {
			return fmt.Errorf("two reports are named %s: %s and %s (rename one)", r.Name, other, path)
		}
		seen[r.Name] = path
		out = append(out, r)
		return nil
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			if err := add(p); err != nil {
				return nil, err
			}
			continue
		}
		n := len(out)
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return err
			case d.IsDir() && path != p && strings.HasPrefix(d.Name(), "."):
				return filepath.SkipDir
			case d.Type().IsRegular() && strings.HasSuffix(d.Name(), ".json"):
				return add(path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(out) == n {
			return nil, fmt.Errorf("%s holds no JSON report (*.json)", p)
		}
	}
	slices.SortFunc(out, func(a, b ReportFile) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// SameNames refuses a class where a report and a folder have one name:
// each row's key is its submission's name.
func SameNames(subs []Submission, files []ReportFile) error {
	folders := map[string]string{}
	for _, s := range subs {
		folders[s.Name] = s.Path
	}
	for _, f := range files {
		if p, ok := folders[f.Name]; ok {
			return fmt.Errorf("%s is both a folder (%s) and a report (%s): grade one of them", f.Name, p, f.Path)
		}
	}
	return nil
}

// Expect is what a report must have been graded with to count in this
// gradebook: the same rubric (name and digest), the same labs, the same
// major version of labcheck, and waivers counted only if allowed.
type Expect struct {
	Rubric       *grade.Rubric
	Digest       string        // the rubric's
	Labs         []finding.Lab // the labs graded; empty means every lab of the rubric
	Version      string        // this labcheck's version, e.g. v0.1.0
	AllowWaivers bool
}

// maxReport bounds what is read of a report: a report of the largest
// submission is a few MiB.
const maxReport = 64 << 20

// header is the part of a report that says what produced it. It is read
// on its own so that a report from another labcheck, whose other fields
// may have changed shape, is refused for what it is.
type header struct {
	Version *int `json:"version"`
	Tool    struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"tool"`
	Rubric *struct {
		Name   string `json:"name"`
		Digest string `json:"digest"`
	} `json:"rubric"`
}

// ReadReport reads a JSON report and checks that it can be counted with
// want. The error says, in the instructor's terms, why it cannot.
func ReadReport(path string, want Expect) (*report.Report, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.Size() > maxReport {
		return nil, fmt.Errorf("%s is %d MiB, larger than any labcheck report (%d MiB at most)", path, info.Size()>>20, maxReport>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var h header
	if err := json.Unmarshal(data, &h); err != nil {
		if text := strings.TrimSpace(string(data)); text != "" && text[0] != '{' && utf8.ValidString(text) {
			// Not JSON at all: a note left instead of a report (the class
			// workflow writes why a job has none), or a download's error
			// page. Its first line says more than a parse error.
			line, _, _ := strings.Cut(text, "\n")
			return nil, fmt.Errorf("%s is not a labcheck JSON report: %q", path, truncate(line, 200))
		}
		return nil, fmt.Errorf("%s is not a labcheck JSON report: %v", path, err)
	}
	if h.Tool.Name != "labcheck" || h.Version == nil {
		return nil, fmt.Errorf("%s is not a labcheck JSON report (no tool.name labcheck and version)", path)
	}
	if *h.Version != 1 {
		return nil, fmt.Errorf("%s: report format version %d, this labcheck reads version 1", path, *h.Version)
	}
	if err := sameMajor(h.Tool.Version, want.Version); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	switch {
	case h.Rubric == nil || h.Rubric.Name == "":
		return nil, fmt.Errorf("%s does not say which rubric graded it (written by a labcheck older than its rubric field); grade its folder instead", path)
	case h.Rubric.Name != want.Rubric.Name:
		return nil, fmt.Errorf("%s was graded with rubric %s, not %s", path, h.Rubric.Name, want.Rubric.Name)
	case h.Rubric.Digest != want.Digest:
		return nil, fmt.Errorf("%s was graded with another version of rubric %s (digest %s, this one's is %s)", path, want.Rubric.Name, h.Rubric.Digest, want.Digest)
	}
	var r report.Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s is not a labcheck JSON report: %v", path, err)
	}
	labs := want.Labs
	if len(labs) == 0 {
		for _, l := range want.Rubric.Labs {
			labs = append(labs, l.ID)
		}
	}
	if err := sameLabs(r.Labs, labs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if n := waivedPasses(&r); n > 0 && !want.AllowWaivers {
		return nil, fmt.Errorf("%s counts %d waived checks as passed (its config sets grading.allowWaivers), which this grading does not allow; grade its folder, or allow waivers in the instructor's --config", path, n)
	}
	return &r, nil
}

// FromReport is a report's row: graded as the report says, or, when the
// report cannot count here, failed with the reason.
func FromReport(f ReportFile, want Expect) Row {
	rep, err := ReadReport(f.Path, want)
	if err != nil {
		return Row{Submission: f.Name, Path: filepath.ToSlash(f.Path), Status: Failed, Labs: map[finding.Lab]float64{}, Findings: map[string]int{}, Error: err.Error()}
	}
	return RowOf(f.Name, f.Path, rep)
}

// sameMajor: a report from another major version of labcheck may mean
// something else by the same fields.
func sameMajor(theirs, ours string) error {
	t, err := semver.NewVersion(theirs)
	if err != nil {
		return fmt.Errorf("written by labcheck %q, which is not a release version", theirs)
	}
	o, err := semver.NewVersion(ours)
	if err != nil {
		return fmt.Errorf("this labcheck's version %q is not a release version, so reports cannot be matched to it", ours)
	}
	if t.Major() != o.Major() {
		return fmt.Errorf("written by labcheck %s, another major version than this %s", theirs, ours)
	}
	return nil
}

// sameLabs: a report graded for other labs than this gradebook would add
// up other points.
func sameLabs(labs []grade.LabScore, want []finding.Lab) error {
	var got []string
	for _, l := range labs {
		got = append(got, string(l.ID))
	}
	var exp []string
	for _, l := range want {
		exp = append(exp, string(l))
	}
	slices.Sort(got)
	slices.Sort(exp)
	if !slices.Equal(got, slices.Compact(exp)) {
		return fmt.Errorf("graded the labs %s, this gradebook grades %s", list(got), list(exp))
	}
	return nil
}

func list(s []string) string {
	if len(s) == 0 {
		return "(none)"
	}
	return strings.Join(s, ", ")
}

// waivedPasses counts the checks a report passed although a waived
// finding stands against them: their points were bought with a comment.
func waivedPasses(r *report.Report) int {
	waived := map[grade.LabRule]bool{}
	for _, f := range r.Findings {
		if f.Suppressed {
			waived[grade.LabRule{Lab: f.Lab, Rule: f.Rule}] = true
		}
	}
	n := 0
	for _, l := range r.Labs {
		for _, c := range l.Checks {
			if c.Status == grade.Pass && waived[grade.LabRule{Lab: l.ID, Rule: c.Rule}] {
				n++
			}
		}
	}
	return n
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
