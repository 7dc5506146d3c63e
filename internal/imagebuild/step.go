package imagebuild

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/labcheck/labcheck/internal/parse/dockerfile"
)

// stepLine matches the classic builder's "Step 5/9 : RUN go mod download".
var stepLine = regexp.MustCompile(`(?m)^Step (\d+)/(\d+) : (.*)$`)

// ansi matches terminal colour codes the builder puts around a step's
// error output.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// failingStep finds the last step the build log started and the Dockerfile
// line it came from. The builder numbers every instruction from the top,
// the global ARGs before the first FROM included (labels it was asked to
// add come last as extra steps).
func failingStep(log string, data []byte, df *dockerfile.Dockerfile) (string, int) {
	m := stepLine.FindAllStringSubmatch(log, -1)
	if len(m) == 0 {
		return "the start of the build", firstLine(df)
	}
	last := m[len(m)-1]
	n, _ := strconv.Atoi(last[1])
	total, _ := strconv.Atoi(last[2])
	text := strings.TrimSpace(last[3])
	var lines []int
	for _, s := range df.Stages {
		lines = append(lines, s.Line)
		for _, in := range s.Instructions {
			lines = append(lines, in.Line)
		}
	}
	line := 0
	if idx := n - 1 - globalArgs(data); idx >= 0 && idx < len(lines) {
		line = lines[idx]
	}
	if line == 0 {
		return fmt.Sprintf("step %d/%d (%s)", n, total, text), firstLine(df)
	}
	return fmt.Sprintf("step %d/%d (line %d: %s)", n, total, line, text), line
}

// globalArgs counts the ARG instructions before the first FROM.
func globalArgs(data []byte) int {
	n := 0
	for _, l := range strings.Split(string(data), "\n") {
		f := strings.Fields(l)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch strings.ToUpper(f[0]) {
		case "FROM":
			return n
		case "ARG":
			n++
		}
	}
	return n
}

func firstLine(df *dockerfile.Dockerfile) int {
	if len(df.Stages) > 0 {
		return df.Stages[0].Line
	}
	return 1
}

// cleanLog strips colour codes from build output.
func cleanLog(s string) string { return ansi.ReplaceAllString(s, "") }

// layerLine is the classic builder's " ---> 1a2b3c4d5e6f" after a step.
var layerLine = regexp.MustCompile(`^\s*---> ([0-9a-f]{12,64})\s*$`)

// intermediateImages lists the images a build log says it created: one per
// step, except a FROM's (the base image) and a step "Using cache".
func intermediateImages(log string) []string {
	var ids []string
	base, cached := false, false
	for _, l := range strings.Split(log, "\n") {
		if m := stepLine.FindStringSubmatch(l); m != nil {
			base = strings.HasPrefix(strings.ToUpper(strings.TrimSpace(m[3])), "FROM ")
			cached = false
			continue
		}
		if strings.Contains(l, "---> Using cache") {
			cached = true
			continue
		}
		if m := layerLine.FindStringSubmatch(l); m != nil && !base && !cached {
			ids = append(ids, m[1])
		}
	}
	return ids
}
