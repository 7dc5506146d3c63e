package render

import (
	"cmp"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"text/template/parse"

	"helm.sh/helm/v3/pkg/chart/loader"
)

// clusterCalls are the template functions that ask the cluster or the
// network, which the sandbox does not give.
var clusterCalls = map[string]string{
	"lookup":        "lookup has no cluster to ask in labcheck (nor under helm template): it returns an empty map",
	"getHostByName": "getHostByName resolves nothing in labcheck (no DNS while rendering): it returns an empty string",
}

// filesReads are the .Files methods that read a path.
var filesReads = map[string]bool{"Get": true, "GetBytes": true, "Lines": true, "Glob": true, "AsConfig": true, "AsSecrets": true}

// Unavailable lists what a chart's templates ask for that the sandbox does
// not give them, read from the templates' parse trees (text/template/parse,
// walked as the allocation check and the chart facts walk them): lookup (no cluster: it returns an
// empty map, as under `helm template`), getHostByName (no DNS: an empty
// string), and .Files paths outside the chart (templates only see the
// chart's own files, so they get nothing). Comments are not calls; a
// template that does not parse is the render's problem. The render goes
// on; these explain why its output may differ from an install's.
func Unavailable(files []*loader.BufferedFile) []Problem {
	var out []Problem
	for _, f := range files {
		if !isTemplate(f.Name) {
			continue
		}
		text := string(f.Data)
		trees := parseTrees(f.Name, text)
		for _, name := range slices.Sorted(maps.Keys(trees)) {
			visitPipes(trees[name].Root, func(pipe *parse.PipeNode) {
				for _, cmd := range pipe.Cmds {
					if msg := withheld(cmd); msg != "" {
						out = append(out, Problem{Kind: Withheld, File: f.Name, Line: lineAt(text, cmd.Position()), Message: msg})
					}
				}
			})
		}
	}
	slices.SortStableFunc(out, func(a, b Problem) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	return out
}

// withheld says what a command asks for that the sandbox withholds, or "".
func withheld(cmd *parse.CommandNode) string {
	if len(cmd.Args) == 0 {
		return ""
	}
	var field []string
	switch fn := cmd.Args[0].(type) {
	case *parse.IdentifierNode:
		return clusterCalls[fn.Ident]
	case *parse.FieldNode:
		field = fn.Ident
	case *parse.VariableNode:
		field = fn.Ident[1:]
	}
	if len(field) < 2 || field[len(field)-2] != "Files" || !filesReads[field[len(field)-1]] || len(cmd.Args) < 2 {
		return ""
	}
	if s, ok := cmd.Args[1].(*parse.StringNode); ok && outside(s.Text) {
		return fmt.Sprintf(".Files reads %q, outside the chart; templates only see the chart's own files, so it gets nothing", s.Text)
	}
	return ""
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
