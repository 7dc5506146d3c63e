package dockerfile

import (
	"bytes"
	"errors"
	"regexp"
	"strings"

	"github.com/distribution/reference"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// Dockerfile is a parsed Dockerfile as the policies see it.
type Dockerfile struct {
	File         string    `json:"file"`
	Syntax       string    `json:"syntax"`
	SyntaxLine   int       `json:"-"` // where the syntax directive is, when there is one
	Escape       string    `json:"escape"`
	Args         []Pair    `json:"args"` // ARGs before the first FROM
	Stages       []Stage   `json:"stages"`
	DockerIgnore Sibling   `json:"dockerignore"`
	Problems     []Problem `json:"-"`
	Waivers      []Waiver  `json:"-"`
}

// Sibling is a file the lab expects beside the Dockerfile.
type Sibling struct {
	Present bool   `json:"present"`
	File    string `json:"file"` // where it is, or would be
	Dir     string `json:"dir"`  // the folder it belongs in: where a finding about its absence points
}

// Stage is one FROM and the instructions that follow it.
type Stage struct {
	Index        int           `json:"index"`
	Name         string        `json:"name"`
	Line         int           `json:"line"`
	Platform     string        `json:"platform"`
	Base         Image         `json:"base"`
	Instructions []Instruction `json:"instructions"`
}

// Image is a stage's base: the reference as written and as resolved.
type Image struct {
	Raw     string `json:"raw"`     // as written, e.g. golang:${GO_VERSION}
	Image   string `json:"image"`   // repository after ARG expansion, e.g. golang
	Tag     string `json:"tag"`     // "" when absent
	Digest  string `json:"digest"`  // "" when absent
	Scratch bool   `json:"scratch"` // FROM scratch
	Stage   bool   `json:"stage"`   // FROM an earlier stage
}

// Ref is the image reference the FROM names: repository, then :tag and
// @digest when given ("" for scratch and earlier stages).
func (i Image) Ref() string {
	if i.Scratch || i.Stage || i.Image == "" {
		return ""
	}
	ref := i.Image
	if i.Tag != "" {
		ref += ":" + i.Tag
	}
	if i.Digest != "" {
		ref += "@" + i.Digest
	}
	return ref
}

// Instruction is one Dockerfile instruction.
type Instruction struct {
	Cmd      string    `json:"cmd"` // lower case: run, copy, from…
	Line     int       `json:"line"`
	EndLine  int       `json:"end_line"`
	Flags    []string  `json:"flags"`
	Args     []string  `json:"args"`
	JSON     bool      `json:"json"` // exec (JSON array) form
	Original string    `json:"original"`
	Heredocs []Heredoc `json:"heredocs"`
	Pairs    []Pair    `json:"pairs,omitempty"` // ENV and ARG keys and values
}

// Heredoc is a here-document attached to an instruction.
type Heredoc struct {
	Name    string `json:"name"`
	Content string `json:"content"`
}

// Pair is a key and value of ENV or ARG as written (quotes and $references
// kept, so a policy can tell a literal from a reference); an ARG without
// default has "".
type Pair struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Problem is something BuildKit rejects, at the line it names (0 when the
// whole file is the problem).
type Problem struct {
	Line    int
	Message string
}

// Waiver is a `# labcheck:ignore RULE reason` comment and the instruction
// line it covers.
type Waiver struct {
	Rule   string
	Reason string
	Line   int
}

// Parse parses a Dockerfile's content. file is the path reports use. It
// never fails: what cannot be parsed is in Problems.
func Parse(file string, data []byte) *Dockerfile {
	df := &Dockerfile{File: file, Escape: `\`, Args: []Pair{}, Stages: []Stage{}}
	if syntax, _, loc, ok := parser.DetectSyntax(data); ok {
		df.Syntax, df.SyntaxLine = syntax, 1
		if len(loc) > 0 {
			df.SyntaxLine = loc[0].Start.Line
		}
	}
	res, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		df.Problems = append(df.Problems, Problem{Line: errorLine(err), Message: message(err)})
		return df
	}
	df.Escape = string(res.EscapeToken)
	lex := shell.NewLex(res.EscapeToken)
	globals := env{}
	for _, node := range res.AST.Children {
		ins := instruction(node)
		typed, err := instructions.ParseInstruction(node)
		if err != nil {
			df.Problems = append(df.Problems, Problem{Line: node.StartLine, Message: message(err)})
		}
		ins.Pairs = pairs(typed)
		if ins.Cmd == "from" {
			df.Stages = append(df.Stages, df.stage(node, ins, lex, globals))
			continue
		}
		if len(df.Stages) == 0 {
			if ins.Cmd == "arg" {
				for _, p := range ins.Pairs {
					df.Args = append(df.Args, p)
					globals[p.Key] = p.Value
				}
			}
			continue
		}
		last := &df.Stages[len(df.Stages)-1]
		last.Instructions = append(last.Instructions, ins)
	}
	if len(df.Stages) == 0 && len(df.Problems) == 0 {
		df.Problems = append(df.Problems, Problem{Line: 1, Message: "the Dockerfile has no FROM instruction"})
	}
	df.Waivers = waivers(data, res.AST.Children)
	return df
}

func instruction(node *parser.Node) Instruction {
	ins := Instruction{
		Cmd:      strings.ToLower(node.Value),
		Line:     node.StartLine,
		EndLine:  node.EndLine,
		Flags:    append([]string{}, node.Flags...),
		Args:     []string{},
		JSON:     node.Attributes["json"],
		Original: node.Original,
		Heredocs: []Heredoc{},
	}
	for n := node.Next; n != nil; n = n.Next {
		ins.Args = append(ins.Args, n.Value)
	}
	for _, h := range node.Heredocs {
		ins.Heredocs = append(ins.Heredocs, Heredoc{Name: h.Name, Content: h.Content})
	}
	return ins
}

func pairs(typed any) []Pair {
	var out []Pair
	switch c := typed.(type) {
	case *instructions.EnvCommand:
		for _, kv := range c.Env {
			out = append(out, Pair{Key: kv.Key, Value: kv.Value})
		}
	case *instructions.ArgCommand:
		for _, kv := range c.Args {
			p := Pair{Key: kv.Key}
			if kv.Value != nil {
				p.Value = *kv.Value
			}
			out = append(out, p)
		}
	}
	return out
}

func (df *Dockerfile) stage(node *parser.Node, ins Instruction, lex *shell.Lex, globals env) Stage {
	s := Stage{Index: len(df.Stages), Line: node.StartLine, Instructions: []Instruction{}}
	if len(ins.Args) >= 3 && strings.EqualFold(ins.Args[1], "as") {
		s.Name = strings.ToLower(ins.Args[2])
	}
	for _, f := range ins.Flags {
		if v, ok := strings.CutPrefix(f, "--platform="); ok {
			s.Platform = v
		}
	}
	if len(ins.Args) == 0 {
		return s
	}
	raw := ins.Args[0]
	s.Base = Image{Raw: raw, Image: raw}
	expanded, _, err := lex.ProcessWord(raw, globals)
	if err != nil {
		df.Problems = append(df.Problems, Problem{Line: s.Line, Message: "FROM " + raw + ": " + err.Error()})
		return s
	}
	switch {
	case strings.EqualFold(expanded, "scratch"):
		s.Base.Image, s.Base.Scratch = "scratch", true
	case df.isStage(strings.ToLower(expanded)):
		s.Base.Image, s.Base.Stage = strings.ToLower(expanded), true
	default:
		df.resolve(&s, expanded)
	}
	return s
}

func (df *Dockerfile) isStage(name string) bool {
	for _, s := range df.Stages {
		if s.Name != "" && s.Name == name {
			return true
		}
	}
	return false
}

func (df *Dockerfile) resolve(s *Stage, expanded string) {
	named, err := reference.ParseNormalizedNamed(expanded)
	if err != nil {
		df.Problems = append(df.Problems, Problem{Line: s.Line, Message: "FROM " + s.Base.Raw + ": " + err.Error()})
		return
	}
	s.Base.Image = reference.FamiliarName(named)
	if t, ok := named.(reference.Tagged); ok {
		s.Base.Tag = t.Tag()
	}
	if d, ok := named.(reference.Digested); ok {
		s.Base.Digest = d.Digest().String()
	}
}

// env is the ARG values visible to FROM lines.
type env map[string]string

func (e env) Get(k string) (string, bool) { v, ok := e[k]; return v, ok }

func (e env) Keys() []string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	return keys
}

var waiverLine = regexp.MustCompile(`^\s*#\s*labcheck:ignore\s+([A-Z0-9]+-[0-9]+)\s*(.*)$`)

// waivers finds `# labcheck:ignore RULE reason` comments; each covers the
// next instruction, or the line it stands on when nothing follows.
func waivers(data []byte, nodes []*parser.Node) []Waiver {
	var out []Waiver
	for i, line := range strings.Split(string(data), "\n") {
		m := waiverLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		w := Waiver{Rule: m[1], Reason: strings.TrimSpace(m[2]), Line: i + 1}
		for _, n := range nodes {
			if n.StartLine > i+1 {
				w.Line = n.StartLine
				break
			}
		}
		out = append(out, w)
	}
	return out
}

func errorLine(err error) int {
	var le *parser.LocationError
	if errors.As(err, &le) && len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
		return le.Locations[0][0].Start.Line
	}
	return 0
}

func message(err error) string {
	msg := err.Error()
	// BuildKit prefixes some errors with the file name it was given; we gave none.
	msg = strings.TrimPrefix(msg, "dockerfile parse error: ")
	return msg
}
