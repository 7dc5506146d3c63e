package render

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"text/template/parse"

	"helm.sh/helm/v3/pkg/chart/loader"
)

// generators are the functions whose result a range can loop over without
// the values giving its length.
var generators = map[string]bool{"until": true, "untilStep": true, "seq": true}

// suspect is where a render that ran out of time most likely loops: the
// engine cannot say which template it was executing, so the templates'
// parse trees are searched for ranges over generated sequences (until,
// untilStep, seq) and helpers that include themselves. ok is false unless
// exactly one template holds such a thing.
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
		text := string(f.Data)
		trees := parseTrees(f.Name, text)
		for _, name := range slices.Sorted(maps.Keys(trees)) {
			visit(trees[name].Root, func(n parse.Node) {
				if loops(n, name != f.Name, name) {
					found = append(found, place{f.Name, lineAt(text, n.Position())})
				}
			})
		}
	}
	slices.SortFunc(found, func(a, b place) int {
		if a.file != b.file {
			return strings.Compare(a.file, b.file)
		}
		return a.line - b.line
	})
	if len(found) == 0 || slices.ContainsFunc(found, func(p place) bool { return p.file != found[0].file }) {
		return "", 0, false
	}
	return found[0].file, found[0].line, true
}

// loops reports whether n may run without end: a range over a generated
// sequence, or, inside the define named helper, a call of that helper.
func loops(n parse.Node, inDefine bool, helper string) bool {
	if r, ok := n.(*parse.RangeNode); ok {
		generated := false
		visit(r.Pipe, func(n parse.Node) {
			if id, ok := n.(*parse.IdentifierNode); ok && generators[id.Ident] {
				generated = true
			}
		})
		return generated
	}
	called, ok := calls(n)
	return ok && inDefine && called == helper
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
