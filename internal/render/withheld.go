package render

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"helm.sh/helm/v3/pkg/chart/loader"
)

var (
	action      = regexp.MustCompile(`(?s)\{\{(.*?)\}\}`)
	clusterCall = regexp.MustCompile(`(?:^|[\s(|])(lookup|getHostByName)\s`)
	filesCall   = regexp.MustCompile(`\.Files\.(?:Get|GetBytes|Lines|Glob|AsConfig|AsSecrets)\s+"([^"]*)"`)
)

// Unavailable lists what a chart's templates ask for that the sandbox does
// not give them, found in the template text: lookup (no cluster: it
// returns an empty map, as under `helm template`), getHostByName (no DNS:
// an empty string), and .Files paths outside the chart (templates only
// see the chart's own files, so they get nothing). The render goes on;
// these explain why its output may differ from an install's.
func Unavailable(files []*loader.BufferedFile) []Problem {
	var out []Problem
	for _, f := range files {
		if !isTemplate(f.Name) {
			continue
		}
		text := string(f.Data)
		for _, a := range action.FindAllStringSubmatchIndex(text, -1) {
			body := text[a[2]:a[3]]
			if strings.HasPrefix(strings.TrimLeft(body, "- "), "/*") {
				continue
			}
			line := 1 + strings.Count(text[:a[0]], "\n")
			out = append(out, withheldIn(f.Name, body, line)...)
		}
	}
	return out
}

func withheldIn(file, body string, line int) []Problem {
	var out []Problem
	for _, m := range clusterCall.FindAllStringSubmatch(body, -1) {
		what := map[string]string{
			"lookup":        "lookup has no cluster to ask in labcheck (nor under helm template): it returns an empty map",
			"getHostByName": "getHostByName resolves nothing in labcheck (no DNS while rendering): it returns an empty string",
		}[m[1]]
		out = append(out, Problem{Kind: Withheld, File: file, Line: line, Message: what})
	}
	for _, m := range filesCall.FindAllStringSubmatch(body, -1) {
		if outside(m[1]) {
			out = append(out, Problem{Kind: Withheld, File: file, Line: line, Message: fmt.Sprintf(".Files reads %q, outside the chart; templates only see the chart's own files, so it gets nothing", m[1])})
		}
	}
	return out
}

// outside reports whether a .Files path leaves the chart folder.
func outside(p string) bool {
	return path.IsAbs(p) || slices.Contains(strings.Split(path.Clean(p), "/"), "..")
}

// isTemplate reports whether a chart file is a template, of the chart or
// of a subchart.
func isTemplate(name string) bool {
	for {
		if strings.HasPrefix(name, "templates/") {
			return true
		}
		rest, ok := strings.CutPrefix(name, "charts/")
		if !ok {
			return false
		}
		_, name, ok = strings.Cut(rest, "/")
		if !ok {
			return false
		}
	}
}
