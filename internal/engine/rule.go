package engine

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/labcheck/labcheck/internal/finding"
)

// Rule is one check's metadata, read from its policy's METADATA block (a
// static rule) or from the dynamic phase's catalog (see Engine.Add).
type Rule struct {
	ID          string           `json:"id"`
	Name        string           `json:"name"`
	Lab         finding.Lab      `json:"lab"`
	Severity    finding.Severity `json:"severity"`
	Title       string           `json:"title"`
	Rationale   string           `json:"rationale"`
	Remediation string           `json:"remediation"`
	Related     []string         `json:"related,omitempty"`
	Examples    Examples         `json:"examples"`
	// Phase is the phase that decides the rule: static for the Rego
	// policies, dynamic for the checks of the dynamic phase's catalog.
	Phase finding.Phase `json:"phase"`
	// ParseError marks a lab's parse-error rule (custom.role: parse-error):
	// while one of its error findings stands, the lab's other checks cannot
	// be judged.
	ParseError bool `json:"parseError,omitempty"`
	// Requires lists the checks whose pass is this one's precondition
	// (dynamic checks): it is never awarded when one of them did not pass.
	Requires []string `json:"requires,omitempty"`
	// ExplainedBy lists, for a dynamic check, the static rules of its lab
	// whose finding, in the same run, explains its failure.
	ExplainedBy []string `json:"explainedBy,omitempty"`
	Package     string   `json:"-"` // e.g. data.labcheck.docker.base_image_tagged
	Source      string   `json:"-"` // the policy file
}

// Examples are a failing and a passing submission for a rule: file names,
// relative to the lab's folder, mapped to their content.
type Examples struct {
	Fail map[string]string `json:"fail"`
	Pass map[string]string `json:"pass"`
	// ForeseenBy names, for a dynamic check, the static rules the static
	// phase raises on the failing example and not on the passing one.
	ForeseenBy []string `json:"foreseenBy,omitempty"`
}

var (
	idPattern   = regexp.MustCompile(`^([A-Z0-9]+)-[0-9]{3}$`)
	namePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// roleParseError is custom.role of a lab's parse-error rule.
const roleParseError = "parse-error"

// Validate checks what every rule must hold, whatever defines it: an id
// of the form PREFIX-000 whose prefix is its lab's (or the dynamic
// phase's), a kebab-case name, a title, rationale and remediation.
func (r *Rule) Validate() error {
	var errs []string
	if r.Title == "" {
		errs = append(errs, "title")
	}
	if r.Rationale == "" {
		errs = append(errs, "rationale")
	}
	if r.Remediation == "" {
		errs = append(errs, "remediation")
	}
	if _, err := finding.ParseLab(string(r.Lab)); err != nil {
		errs = append(errs, err.Error())
	}
	if _, err := finding.ParseSeverity(string(r.Severity)); err != nil {
		errs = append(errs, err.Error())
	}
	want := r.Lab.RulePrefix()
	if r.Phase == finding.Dynamic {
		want = finding.DynamicRulePrefix
	} else if r.Phase != finding.Static {
		errs = append(errs, fmt.Sprintf("phase %q", r.Phase))
	}
	if m := idPattern.FindStringSubmatch(r.ID); m == nil || m[1] != want {
		errs = append(errs, fmt.Sprintf("id %q is not of the form %s-001", r.ID, want))
	}
	if !namePattern.MatchString(r.Name) {
		errs = append(errs, fmt.Sprintf("name %q is not kebab-case", r.Name))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s: rule metadata: missing or invalid %s", r.Source, strings.Join(errs, ", "))
	}
	return nil
}

// ruleFromModule reads the package-scoped METADATA of a rule module. A
// module without custom.id is not a rule (a helper library); a rule with
// incomplete metadata is an error.
func ruleFromModule(file string, m *ast.Module) (*Rule, error) {
	var a *ast.Annotations
	for _, an := range m.Annotations {
		if an.Scope == "package" {
			a = an
		}
	}
	if a == nil || a.Custom["id"] == nil {
		return nil, nil
	}
	r := &Rule{Package: m.Package.Path.String(), Source: file, Title: a.Title, Rationale: strings.TrimSpace(a.Description), Phase: finding.Static}
	str := func(key string) string {
		s, _ := a.Custom[key].(string)
		return strings.TrimSpace(s)
	}
	r.ID, r.Name, r.Remediation = str("id"), str("name"), str("remediation")
	r.Lab, r.Severity = finding.Lab(str("lab")), finding.Severity(str("severity"))
	switch role := str("role"); role {
	case "":
	case roleParseError:
		r.ParseError = true
	default:
		return nil, fmt.Errorf("%s: rule metadata: unknown custom.role %q (known: %s)", file, role, roleParseError)
	}
	if rel, ok := a.Custom["related"].([]any); ok {
		for _, x := range rel {
			r.Related = append(r.Related, fmt.Sprint(x))
		}
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var err error
	if r.Examples, err = examples(a.Custom["examples"], r.Lab.MainFile()); err != nil {
		return nil, fmt.Errorf("%s: rule metadata: %w", file, err)
	}
	return r, nil
}

func examples(v any, main string) (Examples, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return Examples{}, fmt.Errorf("custom.examples (fail and pass)")
	}
	fail, err := exampleFiles(m["fail"], main)
	if err != nil {
		return Examples{}, fmt.Errorf("custom.examples.fail: %w", err)
	}
	pass, err := exampleFiles(m["pass"], main)
	if err != nil {
		return Examples{}, fmt.Errorf("custom.examples.pass: %w", err)
	}
	return Examples{Fail: fail, Pass: pass}, nil
}

func exampleFiles(v any, main string) (map[string]string, error) {
	switch x := v.(type) {
	case string:
		return map[string]string{main: x}, nil
	case map[string]any:
		files := map[string]string{}
		for name, content := range x {
			s, ok := content.(string)
			if !ok {
				return nil, fmt.Errorf("file %s is not text", name)
			}
			files[name] = s
		}
		return files, nil
	}
	return nil, fmt.Errorf("missing")
}
