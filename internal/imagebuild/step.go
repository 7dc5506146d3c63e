package imagebuild

import (
	"regexp"

	"github.com/labcheck/labcheck/internal/parse/dockerfile"
)

// ansi matches terminal colour codes a step's output may hold.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// cleanLog strips colour codes from build output.
func cleanLog(s string) string { return ansi.ReplaceAllString(s, "") }

// firstLine is the Dockerfile's first FROM, where a finding about the
// build as a whole points.
func firstLine(df *dockerfile.Dockerfile) int {
	if len(df.Stages) > 0 {
		return df.Stages[0].Line
	}
	return 1
}
