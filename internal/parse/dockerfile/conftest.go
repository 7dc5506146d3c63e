package dockerfile

import (
	"bytes"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Command is one instruction in the shape conftest's Dockerfile parser
// gives policies, so that policies written for conftest run unchanged.
// Line is labcheck's addition (conftest has none): a policy may return
// {"msg": …, "line": input[i].Line} to point at the instruction.
type Command struct {
	Cmd    string   `json:"Cmd"`
	SubCmd string   `json:"SubCmd"`
	JSON   bool     `json:"JSON"`
	Flags  []string `json:"Flags"`
	Value  []string `json:"Value"`
	Stage  int      `json:"Stage"`
	Line   int      `json:"Line"`
}

// Conftest parses a Dockerfile into conftest's input: its instructions in
// order, with the comments before each as "comment" commands.
func Conftest(data []byte) ([]Command, error) {
	res, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	cmds := []Command{}
	stage := -1
	for _, child := range res.AST.Children {
		cmd := strings.ToLower(child.Value)
		if cmd == "from" {
			stage++
		}
		for _, c := range child.PrevComment {
			cmds = append(cmds, Command{Cmd: "comment", Flags: []string{}, Value: []string{c}, Stage: max(stage, 0), Line: child.StartLine})
		}
		c := Command{Cmd: cmd, Flags: append([]string{}, child.Flags...), Value: []string{}, Stage: max(stage, 0), Line: child.StartLine}
		node := child
		if child.Next != nil && len(child.Next.Children) > 0 { // ONBUILD <instruction>
			node = child.Next.Children[0]
			c.SubCmd = node.Value
		}
		c.JSON = node.Attributes["json"]
		for n := node.Next; n != nil; n = n.Next {
			c.Value = append(c.Value, n.Value)
		}
		cmds = append(cmds, c)
	}
	return cmds, nil
}
