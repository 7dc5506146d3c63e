package engine

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/labcheck/labcheck/internal/finding"
)

// Rule is one check's metadata, read from its policy's METADATA block.
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
	Package     string           `json:"-"` // e.g. data.labcheck.docker.base_image_tagged
	Source      string           `json:"-"` // the policy file
}

// Examples are a failing and a passing submission for a rule: file names,
// relative to the lab's folder, mapped to their content.
type Examples struct {
	Fail map[string]string `json:"fail"`
	Pass map[string]string `json:"pass"`
}

// MainFile is the file an example given as a plain string stands for.
var MainFile = map[finding.Lab]string{
	finding.Docker:     "Dockerfile",
	finding.Kubernetes: "manifests.yaml",
	finding.Helm:       "Chart.yaml",
	finding.Istio:      "istio.yaml",
}

var (
	idPattern   = regexp.MustCompile(`^(DOCKER|K8S|HELM|ISTIO|DYN)-[0-9]{3}$`)
	namePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

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
	r := &Rule{Package: m.Package.Path.String(), Source: file, Title: a.Title, Rationale: strings.TrimSpace(a.Description)}
	var errs []string
	str := func(key string) string {
		s, ok := a.Custom[key].(string)
		if !ok || strings.TrimSpace(s) == "" {
			errs = append(errs, "custom."+key)
		}
		return strings.TrimSpace(s)
	}
	r.ID, r.Name, r.Remediation = str("id"), str("name"), str("remediation")
	lab, err := finding.ParseLab(str("lab"))
	if err != nil {
		errs = append(errs, err.Error())
	}
	r.Lab = lab
	sev, err := finding.ParseSeverity(str("severity"))
	if err != nil {
		errs = append(errs, err.Error())
	}
	r.Severity = sev
	if r.Title == "" {
		errs = append(errs, "title")
	}
	if r.Rationale == "" {
		errs = append(errs, "description")
	}
	if r.ID != "" && !idPattern.MatchString(r.ID) {
		errs = append(errs, fmt.Sprintf("id %q is not of the form DOCKER-001", r.ID))
	}
	if r.Name != "" && !namePattern.MatchString(r.Name) {
		errs = append(errs, fmt.Sprintf("name %q is not kebab-case", r.Name))
	}
	if rel, ok := a.Custom["related"].([]any); ok {
		for _, x := range rel {
			r.Related = append(r.Related, fmt.Sprint(x))
		}
	}
	r.Examples, err = examples(a.Custom["examples"], MainFile[r.Lab])
	if err != nil {
		errs = append(errs, err.Error())
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s: rule metadata: missing or invalid %s", file, strings.Join(errs, ", "))
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
