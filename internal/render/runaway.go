package render

import (
	"regexp"
	"slices"
	"strings"

	"helm.sh/helm/v3/pkg/chart/loader"
)

var (
	action         = regexp.MustCompile(`(?s)\{\{(.*?)\}\}`)
	generatedRange = regexp.MustCompile(`^-?\s*range\b.*\b(?:until|untilStep|seq)\b`)
	defineAction   = regexp.MustCompile(`^-?\s*define\s+"([^"]+)"`)
	includeAction  = regexp.MustCompile(`\b(?:include|template)\s+"([^"]+)"`)
)

// suspect is where a render that ran out of time most likely loops: the
// engine cannot say which template it was executing, so the templates are
// searched for ranges over generated sequences (until, untilStep, seq) and
// helpers that include themselves. ok is false unless exactly one
// template holds such a thing.
func suspect(files []*loader.BufferedFile) (file string, line int, ok bool) {
	type place struct {
		file string
		line int
	}
	var found []place
	for _, f := range files {
		if !isTemplate(f.Name) {
			continue
		}
		text, inDefine := string(f.Data), ""
		for _, a := range action.FindAllStringSubmatchIndex(text, -1) {
			body := text[a[2]:a[3]]
			line := 1 + strings.Count(text[:a[0]], "\n")
			if m := defineAction.FindStringSubmatch(body); m != nil {
				inDefine = m[1]
			}
			selfInclude := inDefine != "" && slices.ContainsFunc(includeAction.FindAllStringSubmatch(body, -1), func(m []string) bool { return m[1] == inDefine })
			if generatedRange.MatchString(body) || selfInclude {
				found = append(found, place{f.Name, line})
			}
		}
	}
	if len(found) == 0 || slices.ContainsFunc(found, func(p place) bool { return p.file != found[0].file }) {
		return "", 0, false
	}
	return found[0].file, found[0].line, true
}

var yamlKey = regexp.MustCompile(`^(\s*(?:-\s+)*)("[^"{}]*"|'[^'{}]*'|[^\s"'{}#:\-][^:{}#]*?|-[^\s:{}#][^:{}#]*?)\s*:(?:\s+(.*?))?\s*$`)

// KeyLine reads a YAML "key: value" line of a template or of rendered
// output: its indentation (list dashes count), its key unquoted, and its
// value as written (template actions included). ok is false for lines
// without a plain key: blank lines, comments, actions, list scalars.
func KeyLine(l string) (indent int, key, value string, ok bool) {
	m := yamlKey.FindStringSubmatch(strings.TrimRight(l, "\r"))
	if m == nil {
		return 0, "", "", false
	}
	return len(m[1]), strings.Trim(m[2], `"'`), m[3], true
}
