package grade

import (
	"bytes"
	"fmt"
	"math"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/labcheck/labcheck/internal/finding"
)

// Rubric maps checks to points, lab by lab.
type Rubric struct {
	Version int         `json:"version"`
	Name    string      `json:"name"`
	Title   string      `json:"title"`
	Labs    []RubricLab `json:"labs"`
}

// RubricLab is one lab's share of the rubric.
type RubricLab struct {
	ID     finding.Lab `json:"id"`
	Title  string      `json:"title"`
	Max    float64     `json:"max"`
	Checks []Check     `json:"checks"`
}

// Check is one rule's worth of points.
type Check struct {
	Rule   string  `json:"rule"`
	Points float64 `json:"points"`
}

// RuleSet is what a rubric is validated against: the rules that exist.
type RuleSet interface {
	RuleLab(id string) (finding.Lab, bool)
}

// ParseRubric reads and validates a rubric. name is used in messages.
func ParseRubric(name string, data []byte, rules RuleSet) (*Rubric, error) {
	var r Rubric
	if err := yaml.UnmarshalStrict(bytes.TrimSpace(data), &r); err != nil {
		return nil, fmt.Errorf("rubric %s: %w", name, err)
	}
	if err := r.validate(rules); err != nil {
		return nil, fmt.Errorf("rubric %s: %w", name, err)
	}
	return &r, nil
}

func (r *Rubric) validate(rules RuleSet) error {
	if r.Version != 1 {
		return fmt.Errorf("version must be 1, not %d", r.Version)
	}
	var errs []string
	seenLab := map[finding.Lab]bool{}
	for _, l := range r.Labs {
		if _, err := finding.ParseLab(string(l.ID)); err != nil {
			errs = append(errs, err.Error())
			continue
		}
		if seenLab[l.ID] {
			errs = append(errs, fmt.Sprintf("lab %s is listed twice", l.ID))
		}
		seenLab[l.ID] = true
		sum, seen := 0.0, map[string]bool{}
		for _, c := range l.Checks {
			lab, ok := rules.RuleLab(c.Rule)
			switch {
			case !ok:
				errs = append(errs, fmt.Sprintf("lab %s: unknown rule %s", l.ID, c.Rule))
			case lab != l.ID:
				errs = append(errs, fmt.Sprintf("lab %s: rule %s belongs to lab %s", l.ID, c.Rule, lab))
			case seen[c.Rule]:
				errs = append(errs, fmt.Sprintf("lab %s: rule %s is listed twice", l.ID, c.Rule))
			case c.Points < 0:
				errs = append(errs, fmt.Sprintf("lab %s: rule %s has negative points", l.ID, c.Rule))
			}
			seen[c.Rule] = true
			sum += c.Points
		}
		if math.Abs(sum-l.Max) > 1e-9 {
			errs = append(errs, fmt.Sprintf("lab %s: checks add up to %g points, but the lab's max is %g", l.ID, sum, l.Max))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}
