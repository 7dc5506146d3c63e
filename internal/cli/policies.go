package cli

import (
	"sync"

	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/grade"
	"github.com/labcheck/labcheck/policies"
	"github.com/labcheck/labcheck/rules"
)

// builtin compiles the embedded policies once per process.
var builtin = sync.OnceValues(func() (*engine.Engine, error) {
	return engine.Load(policies.FS)
})

// ruleSet adapts an engine to what rubric validation needs.
type ruleSet struct{ *engine.Engine }

func (r ruleSet) RuleLab(id string) (finding.Lab, bool) {
	rule, ok := r.Rule(id)
	if !ok {
		return "", false
	}
	return rule.Lab, true
}

// loadRubric reads the rubric at path, or the default when path is "".
func loadRubric(eng *engine.Engine, path string) (*grade.Rubric, error) {
	if path == "" {
		return grade.ParseRubric("module02 (built in)", rules.Module02, ruleSet{eng})
	}
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return grade.ParseRubric(path, data, ruleSet{eng})
}
