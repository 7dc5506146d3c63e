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

// ParseLab returns the lab named s.
func ParseLab(s string) (Lab, error) {
	for _, l := range Labs {
		if string(l) == s {
			return l, nil
		}
	}
	return "", fmt.Errorf("unknown lab %q (labs: docker, kubernetes, helm, istio)", s)
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

// PhaseOf is the phase a rule belongs to: DYN-… rules are the dynamic
// phase's, every other rule is static.
func PhaseOf(rule string) Phase {
	if strings.HasPrefix(rule, "DYN-") {
		return Dynamic
	}
	return Static
}

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
