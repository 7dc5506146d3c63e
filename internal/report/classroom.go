package report

import (
	"encoding/json"
	"io"
)

// classroomResult is GitHub Classroom's autograding result, the shape its
// reporter totals: one test per check.
type classroomResult struct {
	Version  int             `json:"version"`
	Status   string          `json:"status"` // pass, fail or error
	MaxScore float64         `json:"max_score"`
	Tests    []classroomTest `json:"tests"`
}

type classroomTest struct {
	Name     string  `json:"name"`
	Status   string  `json:"status"` // pass, fail or error
	Score    float64 `json:"score"`
	MaxScore float64 `json:"max_score"`
	Message  string  `json:"message"`
	TestCode string  `json:"test_code"`
	Filename string  `json:"filename"`
	LineNo   int     `json:"line_no"`
	Duration int     `json:"duration"`
}

type classroomRenderer struct{}

func (classroomRenderer) Render(w io.Writer, r *Report) error {
	res := classroomResult{Version: 1, Status: "pass", MaxScore: r.Score.Max, Tests: []classroomTest{}}
	for _, l := range r.Labs {
		for _, c := range l.Checks {
			t := classroomTest{
				Name:     string(l.ID) + ": " + c.Rule + " " + c.Name,
				Status:   string(c.Status),
				Score:    c.Points,
				MaxScore: c.Max,
				TestCode: c.Rule,
				Duration: int(r.stepSeconds(l.ID, c.Rule) * 1000),
			}
			switch c.Status {
			case "skip":
				t.Status, t.Message = "fail", notJudged(r, l.ID, c)
			case "fail", "error":
				body, _ := findingsText(r.Findings, l.ID, c.Rule)
				t.Message = orTitle(body, r, c.Rule)
				for _, f := range r.Findings {
					if f.Lab == l.ID && f.Rule == c.Rule && !f.Suppressed {
						t.Filename, t.LineNo = f.File, f.Line
						break
					}
				}
			}
			if t.Status == "error" {
				res.Status = "error"
			} else if t.Status == "fail" && res.Status == "pass" {
				res.Status = "fail"
			}
			res.Tests = append(res.Tests, t)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
