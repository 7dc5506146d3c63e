package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/grade"
)

// JUnit XML as CI systems read it: a testsuite per lab, a testcase per
// check; a failing check's failure lists its findings.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitRenderer struct{}

func (junitRenderer) Render(w io.Writer, r *Report) error {
	doc := junitSuites{Name: "labcheck"}
	for _, l := range r.Labs {
		suiteTime := 0.0
		s := junitSuite{Name: string(l.ID), Properties: []junitProperty{
			{Name: "points", Value: num(l.Points)},
			{Name: "max", Value: num(l.Max)},
		}}
		for _, c := range l.Checks {
			secs := r.stepSeconds(l.ID, c.Rule)
			tc := junitCase{Name: c.Rule + " " + c.Name, Classname: "labcheck." + string(l.ID), Time: strconv.FormatFloat(secs, 'f', -1, 64)}
			body, first := findingsText(r.Findings, l.ID, c.Rule)
			switch c.Status {
			case grade.Fail:
				tc.Failure = &junitProblem{Message: orTitle(first, r, c.Rule), Type: c.Rule, Body: body}
				s.Failures++
			case grade.Error:
				tc.Error = &junitProblem{Message: firstLine(notJudged(r, l.ID, c)), Type: c.Rule, Body: body}
				s.Errors++
			case grade.Skip:
				tc.Skipped = &junitSkipped{Message: firstLine(notJudged(r, l.ID, c))}
				s.Skipped++
			}
			suiteTime += secs
			s.Tests++
			s.Cases = append(s.Cases, tc)
		}
		s.Time = strconv.FormatFloat(suiteTime, 'f', -1, 64)
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// findingsText lists the unsuppressed findings of a rule in a lab, one per
// line, and returns the first message.
func findingsText(fs []finding.Finding, lab finding.Lab, rule string) (string, string) {
	var b strings.Builder
	first := ""
	for _, f := range fs {
		if f.Lab != lab || f.Rule != rule || f.Suppressed {
			continue
		}
		if first == "" {
			first = f.Message
		}
		fmt.Fprintf(&b, "%s: %s %s\n", location(f), f.Severity, f.Message)
	}
	return b.String(), first
}

// firstLine is the first line of s.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func orTitle(msg string, r *Report, rule string) string {
	if msg != "" {
		return msg
	}
	if rr, ok := r.Rules[rule]; ok {
		return rr.Title + " (the lab was not handed in)"
	}
	return rule
}

// location is file:line, or the file alone when there is no line.
func location(f finding.Finding) string {
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d", f.File, f.Line)
	}
	return f.File
}
