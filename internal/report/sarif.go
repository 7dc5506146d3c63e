package report

import (
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/labcheck/labcheck/internal/finding"
)

// DocsURL is where each rule's documentation lives; SARIF's helpUri points
// at the rule's anchor there.
const DocsURL = "https://github.com/labcheck/labcheck/blob/main/docs/rules.md"

// RuleAnchor is a rule's anchor in docs/rules.md.
func RuleAnchor(id string) string { return strings.ToLower(id) }

type sarifRenderer struct{}

// Render writes SARIF 2.1.0: one reportingDescriptor per rule of the
// catalog, one result per finding, with the rule id as ruleId.
func (sarifRenderer) Render(w io.Writer, r *Report) error {
	run := sarif.NewRunWithInformationURI("labcheck", "https://github.com/labcheck/labcheck")
	run.Tool.Driver.WithVersion(r.Tool.Version).WithSemanticVersion(strings.TrimPrefix(r.Tool.Version, "v"))
	for _, rule := range sortedRules(r) {
		run.AddRule(rule.ID).
			WithName(rule.Name).
			WithShortDescription(sarif.NewMultiformatMessageString().WithText(rule.Title)).
			WithFullDescription(sarif.NewMultiformatMessageString().WithText(rule.Rationale)).
			WithHelp(sarif.NewMultiformatMessageString().
				WithText(rule.Rationale + "\n\nHow to fix: " + rule.Remediation).
				WithMarkdown(fmt.Sprintf("%s\n\n**How to fix:** %s", rule.Rationale, rule.Remediation))).
			WithHelpURI(DocsURL + "#" + RuleAnchor(rule.ID)).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(level(rule.Severity))).
			WithProperties(sarif.NewPropertyBag().Add("lab", string(rule.Lab)).Add("tags", []string{string(rule.Lab)}))
	}
	for _, f := range r.Findings {
		res := run.CreateResultForRule(f.Rule).
			WithLevel(level(f.Severity)).
			WithMessage(sarif.NewTextMessage(f.Message))
		if loc := sarifLocation(f); loc != nil {
			res.AddLocation(sarif.NewLocationWithPhysicalLocation(loc))
		}
		if f.Suppressed {
			res.WithSuppressions([]*sarif.Suppression{sarif.NewSuppression().WithKind(suppressionKind(f)).WithJustification(f.Reason)})
		}
	}
	rep := sarif.NewReport()
	rep.AddRun(run)
	return rep.PrettyWrite(w)
}

// sarifLocation is where a result points: the file and line when the file
// exists; for something missing, the folder it belongs in (with a trailing
// slash, as SARIF writes a folder's URI) or, when that folder is missing
// too, the nearest one that exists; nil when nothing on the path exists.
// A location naming a file that does not exist would send a reader (or
// code scanning) to nothing.
func sarifLocation(f finding.Finding) *sarif.PhysicalLocation {
	var uri string
	switch placeOf(f.File) {
	case isFile:
		loc := sarif.NewPhysicalLocation().WithArtifactLocation(sarif.NewArtifactLocation().WithURI(f.File))
		if f.Line > 0 {
			region := sarif.NewRegion().WithStartLine(f.Line)
			if f.Column > 0 {
				region.WithStartColumn(f.Column)
			}
			loc.WithRegion(region)
		}
		return loc
	case isDir:
		uri = f.File
	default:
		uri = existingFolder(path.Dir(f.File))
	}
	if uri == "" || uri == "." {
		return nil
	}
	return sarif.NewPhysicalLocation().WithArtifactLocation(sarif.NewArtifactLocation().WithURI(strings.TrimSuffix(uri, "/") + "/"))
}

// level maps a severity to SARIF's levels.
func level(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "error"
	case finding.Warning:
		return "warning"
	}
	return "note"
}

// suppressionKind says where a waiver lives: in the file (a comment or an
// annotation) or outside it (.labcheck.yaml).
func suppressionKind(f finding.Finding) string {
	if strings.HasPrefix(f.Reason, "ignored in ") {
		return "external"
	}
	return "inSource"
}
