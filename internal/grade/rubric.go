package grade

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
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

	// Digest is the SHA-256 of the rubric's bytes: two reports graded by
	// rubrics of one name but different content can be told apart.
	Digest string  `json:"-"`
	rules  RuleSet // what the checks' ids mean
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

// RuleSet is what a rubric is validated and graded against: the rules
// that exist and what their metadata says they mean.
type RuleSet interface {
	RuleInfo(id string) (RuleInfo, bool)
}

// RuleInfo is the part of a rule's metadata that grading needs.
type RuleInfo struct {
	Name       string
	Lab        finding.Lab
	Phase      finding.Phase
	ParseError bool     // while one of its error findings stands, the lab's other checks cannot be judged
	Requires   []string // checks whose pass is this one's precondition
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
	sum := sha256.Sum256(data)
	r.Digest, r.rules = "sha256:"+hex.EncodeToString(sum[:]), rules
	return &r, nil
}

// Max is the rubric's maximum over the labs given (all when labs is
// empty), and how much of it the dynamic checks carry.
func (r *Rubric) Max(labs []finding.Lab) (max, dynamic float64) {
	for _, l := range r.Labs {
		if len(labs) > 0 && !slices.Contains(labs, l.ID) {
			continue
		}
		max += l.Max
		for _, c := range l.Checks {
			if info, _ := r.rules.RuleInfo(c.Rule); info.Phase == finding.Dynamic {
				dynamic += c.Points
			}
		}
	}
	return max, dynamic
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
			info, ok := rules.RuleInfo(c.Rule)
			switch {
			case !ok:
				errs = append(errs, fmt.Sprintf("lab %s: unknown rule %s", l.ID, c.Rule))
			case info.Lab != l.ID:
				errs = append(errs, fmt.Sprintf("lab %s: rule %s belongs to lab %s", l.ID, c.Rule, info.Lab))
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
