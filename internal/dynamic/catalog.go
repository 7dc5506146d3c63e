package dynamic

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"

	"sigs.k8s.io/yaml"

	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/policies"
)

// CatalogFile is where the catalog lives in the source tree, for messages.
const CatalogFile = "policies/dynamic/checks.yaml"

// Check is one check of the dynamic phase, as its catalog defines it: the
// one definition labcheck-verify reports against, labcheck names findings
// with, and rubrics give points to.
type Check struct {
	ID          string           `json:"id"`
	Name        string           `json:"name"`
	Lab         finding.Lab      `json:"lab"`
	Severity    finding.Severity `json:"severity"`
	Title       string           `json:"title"`
	Rationale   string           `json:"rationale"`
	Remediation string           `json:"remediation"`
	Related     []string         `json:"related,omitempty"`
	// Requires lists the checks whose pass is this check's precondition:
	// it is never awarded when one of them did not pass.
	Requires []string `json:"requires"`
	// Causes lists the static rules of the same lab whose finding, in the
	// same run, explains this check's failure (with the examples'
	// ForeseenBy, Explained gives them all).
	Causes   []string `json:"causes,omitempty"`
	Examples Examples `json:"examples"`
}

// Explained lists the static rules whose finding explains this check's
// failure: its causes and the rules that foresee its failing example.
func (c Check) Explained() []string {
	out := slices.Concat(c.Causes, c.Examples.ForeseenBy)
	slices.Sort(out)
	return slices.Compact(out)
}

// Examples are a failing and a passing submission (files relative to the
// lab's folder) and the static rules that foresee the failure: raised on
// the failing example, not on the passing one.
type Examples struct {
	ForeseenBy []string          `json:"foreseenBy"`
	Fail       map[string]string `json:"fail"`
	Pass       map[string]string `json:"pass"`
}

// Catalog returns every dynamic check, ordered by id. It is parsed once.
var Catalog = sync.OnceValues(func() ([]Check, error) {
	return ParseCatalog(policies.DynamicChecks)
})

// ParseCatalog reads a catalog and checks that it holds together: ids are
// unique and every precondition names a check of the same lab that
// comes before it.
func ParseCatalog(data []byte) ([]Check, error) {
	var checks []Check
	if err := yaml.UnmarshalStrict(bytes.TrimSpace(data), &checks); err != nil {
		return nil, fmt.Errorf("%s: %w", CatalogFile, err)
	}
	slices.SortFunc(checks, func(a, b Check) int { return strings.Compare(a.ID, b.ID) })
	byID := map[string]Check{}
	for _, c := range checks {
		if _, dup := byID[c.ID]; dup {
			return nil, fmt.Errorf("%s: %s is defined twice", CatalogFile, c.ID)
		}
		for _, r := range c.Requires {
			pre, ok := byID[r]
			switch {
			case !ok:
				return nil, fmt.Errorf("%s: %s requires %s, which is not defined before it", CatalogFile, c.ID, r)
			case pre.Lab != c.Lab:
				return nil, fmt.Errorf("%s: %s (lab %s) requires %s of lab %s", CatalogFile, c.ID, c.Lab, r, pre.Lab)
			}
		}
		byID[c.ID] = c
	}
	return checks, nil
}

// Lookup returns the catalog's check of that id.
func Lookup(id string) (Check, bool) {
	checks, err := Catalog()
	if err != nil {
		return Check{}, false
	}
	i, ok := slices.BinarySearchFunc(checks, id, func(c Check, id string) int { return strings.Compare(c.ID, id) })
	if !ok {
		return Check{}, false
	}
	return checks[i], true
}
