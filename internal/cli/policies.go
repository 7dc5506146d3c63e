package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
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

// loadRubric reads the rubric ref names: a built-in rubric's name
// (module02, module02-static), a file, or the default when ref is "". A
// file in the config (cfgDir != "") is relative to the config's folder.
func loadRubric(eng *engine.Engine, ref, cfgDir string) (*grade.Rubric, error) {
	if ref == "" {
		ref = rules.Default
	}
	if data, ok := rules.Builtin(ref); ok {
		return grade.ParseRubric(ref+" (built in)", data, ruleSet{eng})
	}
	if cfgDir != "" {
		ref = filepath.Join(cfgDir, ref)
	}
	data, err := readFile(ref)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("rubric %s: no such file, and no built-in rubric of that name (%s)", ref, strings.Join(rules.Names(), ", "))
		}
		return nil, err
	}
	return grade.ParseRubric(ref, data, ruleSet{eng})
}
