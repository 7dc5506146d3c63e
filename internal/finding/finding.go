package finding

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Lab identifies one of the module's four labs.
type Lab string

// The labs of the module, in the order reports list them.
const (
	Docker     Lab = "docker"
	Kubernetes Lab = "kubernetes"
	Helm       Lab = "helm"
	Istio      Lab = "istio"
)

// Labs lists every lab in report order.
var Labs = []Lab{Docker, Kubernetes, Helm, Istio}

// labInfo is what labcheck knows of each lab besides its id: the prefix
// of its static rules' ids and the file a rule example given as a plain
// string stands for. Adding a lab adds a line here.
var labInfo = map[Lab]struct{ rulePrefix, mainFile string }{
	Docker:     {"DOCKER", "Dockerfile"},
	Kubernetes: {"K8S", "manifests.yaml"},
	Helm:       {"HELM", "Chart.yaml"},
	Istio:      {"ISTIO", "istio.yaml"},
}

// DynamicRulePrefix is the id prefix of the dynamic phase's rules, whatever
// lab they grade.
const DynamicRulePrefix = "DYN"

// RulePrefix is the id prefix of the lab's static rules (DOCKER for
// DOCKER-001).
func (l Lab) RulePrefix() string { return labInfo[l].rulePrefix }

// MainFile is the file, relative to the lab's folder, that a rule example
// given as a plain string stands for.
func (l Lab) MainFile() string { return labInfo[l].mainFile }

// ParseLab returns the lab named s.
func ParseLab(s string) (Lab, error) {
	for _, l := range Labs {
		if string(l) == s {
			return l, nil
		}
	}
	names := make([]string, len(Labs))
	for i, l := range Labs {
		names[i] = string(l)
	}
	return "", fmt.Errorf("unknown lab %q (labs: %s)", s, strings.Join(names, ", "))
}

// Severity is how much a finding matters. The zero value is invalid.
type Severity string

// Severities, most severe first.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// Rank orders severities: error 3, warning 2, info 1, anything else 0.
func (s Severity) Rank() int {
	switch s {
	case Error:
		return 3
	case Warning:
		return 2
	case Info:
		return 1
	}
	return 0
}

// ParseSeverity returns the severity named s.
func ParseSeverity(s string) (Severity, error) {
	switch Severity(s) {
	case Error, Warning, Info:
		return Severity(s), nil
	}
	return "", fmt.Errorf("unknown severity %q (error, warning, info)", s)
}

// Phase says which phase produced a finding.
type Phase string

// The two phases.
const (
	Static  Phase = "static"
	Dynamic Phase = "dynamic"
)

// Finding is one concrete problem in a submission, as the JSON report
// carries it. Field order is the report's field order.
type Finding struct {
	Rule       string   `json:"rule"`
	Name       string   `json:"name"`
	Lab        Lab      `json:"lab"`
	Severity   Severity `json:"severity"`
	Phase      Phase    `json:"phase"`
	Message    string   `json:"message"`
	File       string   `json:"file"`
	Line       int      `json:"line"`
	Column     int      `json:"column"`
	Suppressed bool     `json:"suppressed"`
	Reason     string   `json:"reason,omitempty"`
}

// Compare orders findings by file, line, rule, then message, so that
// reports are identical from run to run.
func Compare(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Message, b.Message),
	)
}

// Sort sorts findings in report order and drops exact duplicates.
func Sort(fs []Finding) []Finding {
	slices.SortFunc(fs, Compare)
	return slices.Compact(fs)
}
