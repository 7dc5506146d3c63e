package dynamic

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/labcheck/labcheck/internal/finding"
)

// Version is the version of the result format. labcheck refuses a result
// of another version rather than misread it.
const Version = 1

// Executable is the name of the program that runs the dynamic phase.
const Executable = "labcheck-verify"

// Status is a step's outcome.
type Status string

// Step outcomes.
const (
	Pass  Status = "pass"
	Fail  Status = "fail"
	Skip  Status = "skip"  // not run: a step it depends on failed, or the environment cannot run it (reason in Detail)
	Error Status = "error" // labcheck could not judge it (the cluster broke, a timeout of the whole run)
)

// Finding is one problem the dynamic phase found, before the rule catalog
// gives it a name and a severity: the policies under policies/dynamic turn
// each into a report finding.
type Finding struct {
	Rule     string           `json:"rule"` // DYN-0xx
	Lab      finding.Lab      `json:"lab"`
	Message  string           `json:"msg"`
	File     string           `json:"file"` // as the user would type it, like static findings
	Line     int              `json:"line"`
	Severity finding.Severity `json:"severity,omitempty"` // overrides the rule's default
}

// Step is one timed step of the dynamic phase. Steps that decide a check
// name its rule; plumbing (creating the cluster, loading images) has none.
type Step struct {
	Rule    string      `json:"rule,omitempty"`
	Lab     finding.Lab `json:"lab,omitempty"`
	Title   string      `json:"title"`
	Status  Status      `json:"status"`
	Seconds float64     `json:"seconds"`
	Detail  string      `json:"detail,omitempty"`
}

// Environment is where the dynamic phase ran.
type Environment struct {
	Provider   string `json:"provider"`             // "kind" or "kubeconfig"
	Cluster    string `json:"cluster"`              // kind cluster name, or the kubeconfig's server
	NodeImage  string `json:"nodeImage,omitempty"`  // kind only
	Nodes      int    `json:"nodes"`                // nodes in the cluster
	Kubernetes string `json:"kubernetes,omitempty"` // the API server's version
	Docker     string `json:"docker,omitempty"`     // the Docker engine's version
	Kind       string `json:"kind,omitempty"`       // kind's Go module version
	Kept       bool   `json:"kept,omitempty"`       // --keep: the cluster was left running
	Kubeconfig string `json:"kubeconfig,omitempty"` // with Kept: where its kubeconfig is
}

// Result is what labcheck-verify prints on stdout.
type Result struct {
	Version     int         `json:"version"`
	Environment Environment `json:"environment"`
	Steps       []Step      `json:"steps"`
	Findings    []Finding   `json:"findings"`
	Seconds     float64     `json:"seconds"`
}

// Decode reads a result and checks its version.
func Decode(r io.Reader) (*Result, error) {
	var res Result
	dec := json.NewDecoder(r)
	if err := dec.Decode(&res); err != nil {
		return nil, fmt.Errorf("read %s result: %w", Executable, err)
	}
	if res.Version != Version {
		return nil, fmt.Errorf("%s result version %d, want %d: install the %s that matches this labcheck", Executable, res.Version, Version, Executable)
	}
	return &res, nil
}

// Encode writes a result as indented JSON, findings in report order.
func Encode(w io.Writer, res *Result) error {
	res.Version = Version
	if res.Steps == nil {
		res.Steps = []Step{}
	}
	if res.Findings == nil {
		res.Findings = []Finding{}
	}
	slices.SortStableFunc(res.Findings, func(a, b Finding) int {
		return finding.Compare(finding.Finding{Rule: a.Rule, File: a.File, Line: a.Line, Message: a.Message},
			finding.Finding{Rule: b.Rule, File: b.File, Line: b.Line, Message: b.Message})
	})
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}

// Input is what the dynamic policies see: every raw finding, each rule
// picking its own by id.
func (r *Result) Input() map[string]any {
	fs := make([]map[string]any, 0, len(r.Findings))
	for _, f := range r.Findings {
		m := map[string]any{"rule": f.Rule, "lab": string(f.Lab), "msg": f.Message, "file": f.File, "line": f.Line}
		if f.Severity != "" {
			m["severity"] = string(f.Severity)
		}
		fs = append(fs, m)
	}
	return map[string]any{"findings": fs}
}
