package check

import (
	"context"
	"slices"
	"strings"

	"github.com/labcheck/labcheck/internal/discover"
	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/parse/dockerfile"
)

// customFindings runs user policies written for conftest on every
// Dockerfile (conftest's Dockerfile input) and every YAML document (the
// document itself), and attributes each message to the file's lab.
func customFindings(ctx context.Context, s *submission, c *engine.Custom, labs []finding.Lab) ([]finding.Finding, error) {
	var out []finding.Finding
	for _, f := range filesOf(s.trees, discover.Dockerfile) {
		if !includes(labs, f.Lab) {
			continue
		}
		cmds, err := dockerfile.Conftest(f.Data)
		if err != nil {
			continue // the Docker lab reports the parse error (DOCKER-000)
		}
		rs, err := c.Evaluate(ctx, cmds)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			out = append(out, customFinding(r, f.Lab, f.Path, r.Line, lineOf(cmds, r)))
		}
	}
	for _, lab := range []finding.Lab{finding.Kubernetes, finding.Istio} {
		if !includes(labs, lab) {
			continue
		}
		for _, o := range s.manifests(lab).Objects {
			rs, err := c.Evaluate(ctx, o.Object)
			if err != nil {
				return nil, err
			}
			for _, r := range rs {
				out = append(out, customFinding(r, lab, o.File, r.Line, o.Line))
			}
		}
	}
	return out, nil
}

func customFinding(r engine.Result, lab finding.Lab, file string, line, fallback int) finding.Finding {
	if line == 0 {
		line = fallback
	}
	return finding.Finding{Rule: r.Rule, Name: r.Rule, Lab: lab, Severity: r.Severity, Phase: finding.Static, Message: r.Message, File: file, Line: line}
}

// lineOf guesses the instruction a conftest message is about: the first
// whose value the message quotes. conftest itself reports no lines.
func lineOf(cmds []dockerfile.Command, r engine.Result) int {
	for _, c := range cmds {
		v := strings.Join(c.Value, " ")
		if c.Cmd != "comment" && v != "" && strings.Contains(r.Message, v) {
			return c.Line
		}
	}
	return 0
}

func includes(labs []finding.Lab, l finding.Lab) bool {
	return len(labs) == 0 || slices.Contains(labs, l)
}
