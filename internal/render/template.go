package render

import (
	"strings"
	"text/template/parse"
)

// Ref is a helper a template defines or uses, at a line of it.
type Ref struct {
	Name string
	Line int
}

// Template is a template's text read with text/template/parse, the parser
// Helm's engine uses (as the allocation check reads it), for the facts the
// chart rules judge: which helpers it defines and uses, and which of its
// bytes it writes literally.
type Template struct {
	Parsed   bool  // false: the template does not parse (the render reports it)
	Defines  []Ref // define blocks
	Includes []Ref // include and template calls, outside comments
	text     string
	branch   []int // per byte: notText, topLevel, or the position of the innermost if/range/with the text is in
}

const (
	notText  = -2
	topLevel = -1
)

// ParseTemplate reads a template's text.
func ParseTemplate(name, text string) Template {
	t := Template{text: text, branch: make([]int, len(text))}
	for i := range t.branch {
		t.branch[i] = notText
	}
	trees := parseTrees(name, text)
	if trees == nil {
		return t
	}
	t.Parsed = true
	for n, tree := range trees {
		if n != name && tree.Root != nil {
			t.Defines = append(t.Defines, Ref{Name: n, Line: t.line(int(tree.Root.Position()))})
		}
		if n == name {
			t.markText(tree.Root, topLevel)
		}
		visit(tree.Root, func(n parse.Node) {
			if helper, ok := calls(n); ok {
				t.Includes = append(t.Includes, Ref{Name: helper, Line: t.line(int(n.Position()))})
			}
		})
	}
	sortRefs(t.Defines)
	sortRefs(t.Includes)
	return t
}

// Literal is what the bytes [start, end) of the template write as they
// are, and whether an action writes any of them. Text inside an
// if/range/with that starts within the span (`{{ if .x }}-suffix{{ end }}`)
// is the action's; text inside one that encloses the span (a document
// wrapped in `{{- if .Values.pdb.enabled }}`) is written as it is.
func (t Template) Literal(start, end int) (literal string, action bool) {
	var b strings.Builder
	for i := start; i < end && i < len(t.text); i++ {
		switch {
		case !t.Parsed:
			b.WriteByte(t.text[i])
		case t.branch[i] == topLevel || t.branch[i] >= 0 && t.branch[i] < start:
			b.WriteByte(t.text[i])
		case t.text[i] != ' ' && t.text[i] != '\t' && t.text[i] != '\r':
			action = true
		}
	}
	if !t.Parsed {
		return b.String(), strings.Contains(t.text[start:min(end, len(t.text))], "{{")
	}
	return b.String(), action
}

// markText records where the text nodes under a list are, and the
// if/range/with they are in.
func (t Template) markText(l *parse.ListNode, branch int) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		var b *parse.BranchNode
		switch v := n.(type) {
		case *parse.TextNode:
			for i := int(v.Position()); i < int(v.Position())+len(v.Text) && i < len(t.branch); i++ {
				t.branch[i] = branch
			}
		case *parse.IfNode:
			b = &v.BranchNode
		case *parse.RangeNode:
			b = &v.BranchNode
		case *parse.WithNode:
			b = &v.BranchNode
		}
		if b != nil {
			t.markText(b.List, int(b.Position()))
			t.markText(b.ElseList, int(b.Position()))
		}
	}
}

func (t Template) line(pos int) int {
	return lineAt(t.text, parse.Pos(pos))
}

func sortRefs(rs []Ref) {
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && (rs[j].Line < rs[j-1].Line || rs[j].Line == rs[j-1].Line && rs[j].Name < rs[j-1].Name); j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}

// calls reports the helper n calls by name: `template "x"` or
// `include "x"`.
func calls(n parse.Node) (helper string, ok bool) {
	switch v := n.(type) {
	case *parse.TemplateNode:
		return v.Name, true
	case *parse.CommandNode:
		if len(v.Args) >= 2 {
			id, isID := v.Args[0].(*parse.IdentifierNode)
			s, isStr := v.Args[1].(*parse.StringNode)
			if isID && isStr && id.Ident == "include" {
				return s.Text, true
			}
		}
	}
	return "", false
}

// parseTrees reads a template with text/template/parse, the parser Helm's
// engine uses, without knowing its functions: one tree for the file and
// one per define, keyed by name. nil when it does not parse (the render
// reports that). Every reading of a chart's templates goes through here.
func parseTrees(name, text string) map[string]*parse.Tree {
	trees := map[string]*parse.Tree{}
	p := parse.New(name)
	p.Mode = parse.SkipFuncCheck
	if _, err := p.Parse(text, "", "", trees); err != nil {
		return nil
	}
	return trees
}

// lineAt is the 1-based line of a byte offset in text.
func lineAt(text string, pos parse.Pos) int {
	return 1 + strings.Count(text[:min(max(int(pos), 0), len(text))], "\n")
}

// visit calls f on every node under n.
func visit(n parse.Node, f func(parse.Node)) {
	if n == nil {
		return
	}
	f(n)
	switch v := n.(type) {
	case *parse.ListNode:
		if v == nil {
			return
		}
		for _, c := range v.Nodes {
			visit(c, f)
		}
	case *parse.ActionNode:
		visit(v.Pipe, f)
	case *parse.PipeNode:
		if v == nil {
			return
		}
		for _, c := range v.Cmds {
			visit(c, f)
		}
	case *parse.CommandNode:
		for _, a := range v.Args {
			visit(a, f)
		}
	case *parse.IfNode:
		visitBranch(&v.BranchNode, f)
	case *parse.RangeNode:
		visitBranch(&v.BranchNode, f)
	case *parse.WithNode:
		visitBranch(&v.BranchNode, f)
	case *parse.TemplateNode:
		visit(v.Pipe, f)
	case *parse.ChainNode: // (pipeline).field
		visit(v.Node, f)
	}
}

// visitPipes calls f on every pipeline under n, nested ones included.
func visitPipes(n parse.Node, f func(*parse.PipeNode)) {
	visit(n, func(n parse.Node) {
		if p, ok := n.(*parse.PipeNode); ok && p != nil {
			f(p)
		}
	})
}

func visitBranch(b *parse.BranchNode, f func(parse.Node)) {
	visit(b.Pipe, f)
	visit(b.List, f)
	if b.ElseList != nil {
		visit(b.ElseList, f)
	}
}
