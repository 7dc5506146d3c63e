package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"text/template/parse"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
)

// MaxAllocation bounds what one template function may allocate at once,
// in elements (until, untilStep, seq) or bytes (repeat, rand*). The time
// limit cannot stop `until 100000000`: sprig builds the whole list in one
// call (800 MB) before the deadline is looked at. Real charts stay far
// below this.
const MaxAllocation = 1 << 22

// sizers compute, from a function's integer arguments (and, for repeat,
// its string's length), how much it allocates; ok is false when the
// arguments do not fix it.
var sizers = map[string]func(ints []int64, strLen int64) (size int64, ok bool){
	"until": func(a []int64, _ int64) (int64, bool) { return arg(a, 0) },
	"untilStep": func(a []int64, _ int64) (int64, bool) {
		if len(a) != 3 || a[2] == 0 {
			return 0, false
		}
		return span(a[0], a[1], a[2]), true
	},
	"seq": func(a []int64, _ int64) (int64, bool) {
		switch len(a) {
		case 1:
			return abs(a[0]), true
		case 2:
			return int64(math.Min(math.Abs(float64(a[1])-float64(a[0]))+1, math.MaxInt64/2)), true
		case 3:
			if a[1] == 0 {
				return 0, false
			}
			return span(a[0], a[2], a[1]), true
		}
		return 0, false
	},
	"repeat": func(a []int64, strLen int64) (int64, bool) {
		n, ok := arg(a, 0)
		return mulSat(n, max(strLen, 1)), ok
	},
	"randAlpha":    func(a []int64, _ int64) (int64, bool) { return arg(a, 0) },
	"randAlphaNum": func(a []int64, _ int64) (int64, bool) { return arg(a, 0) },
	"randAscii":    func(a []int64, _ int64) (int64, bool) { return arg(a, 0) },
	"randNumeric":  func(a []int64, _ int64) (int64, bool) { return arg(a, 0) },
	"randBytes":    func(a []int64, _ int64) (int64, bool) { return arg(a, 0) },
}

func arg(a []int64, i int) (int64, bool) {
	if len(a) <= i {
		return 0, false
	}
	return abs(a[i]), true
}

func span(from, to, step int64) int64 {
	d := float64(to) - float64(from)
	n := d / float64(step)
	if n <= 0 {
		return 0
	}
	return int64(math.Min(n, math.MaxInt64/2))
}

func abs(n int64) int64 {
	if n < 0 {
		if n == math.MinInt64 {
			return math.MaxInt64
		}
		return -n
	}
	return n
}

func mulSat(a, b int64) int64 {
	if a != 0 && b > math.MaxInt64/a {
		return math.MaxInt64
	}
	return a * b
}

// templateTrees parses templates for the allocation check, each once per
// chart: the default render and every ci/*-values.yaml render (which run
// in parallel) share it.
type templateTrees struct {
	mu     sync.Mutex
	parsed map[string]map[string]*parse.Tree // by file; nil: does not parse
}

func newTemplateTrees() *templateTrees {
	return &templateTrees{parsed: map[string]map[string]*parse.Tree{}}
}

// get returns a template's trees (the file's and one per define); nil when
// it does not parse, which the render reports.
func (tt *templateTrees) get(file, text string) map[string]*parse.Tree {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	if trees, ok := tt.parsed[file]; ok {
		return trees
	}
	trees := parseTrees(file, text)
	tt.parsed[file] = trees
	return trees
}

// oversized finds, before anything is rendered, a call that would
// allocate more than MaxAllocation at once: its arguments are literals,
// or .Values fields the render's values fix. The first one found is
// reported, at its template line; ok is false when there is none.
func oversized(c *chart.Chart, dir string, values map[string]any, files []*loader.BufferedFile, tt *templateTrees) (Problem, bool) {
	for _, t := range c.Templates {
		file, text := dir+t.Name, string(t.Data)
		if p, ok := oversizedIn(file, text, tt.get(file, text), values); ok {
			return p, true
		}
	}
	for _, d := range c.Dependencies() {
		sub, _ := asMap(values[d.Name()])
		if p, ok := oversized(d, subchartDir(dir, d, files), sub, files, tt); ok {
			return p, true
		}
	}
	return Problem{}, false
}

// oversizedIn reports the earliest oversized call of a template (defines
// are trees of their own, visited in any order).
func oversizedIn(file, text string, trees map[string]*parse.Tree, values map[string]any) (Problem, bool) {
	best, found := parse.Pos(-1), Problem{}
	for _, tree := range trees {
		visitPipes(tree.Root, func(pipe *parse.PipeNode) {
			call, size, big := oversizedCall(pipe, values)
			if !big || (best >= 0 && pipe.Position() >= best) {
				return
			}
			best = pipe.Position()
			line := 1 + strings.Count(text[:min(int(best), len(text))], "\n")
			found = Problem{Kind: Limit, File: file, Line: line, Message: fmt.Sprintf(
				"`%s` would allocate %d %s at once (more than %d): not rendered, since a single call that large exhausts memory before the render's time limit can stop it", call, size, unit(call), MaxAllocation)}
		})
	}
	return found, best >= 0
}

func unit(call string) string {
	if strings.HasPrefix(call, "repeat") || strings.HasPrefix(call, "rand") {
		return "bytes"
	}
	return "elements"
}

// oversizedCall looks at each command of a pipeline; a command receives
// the previous one's value as its last argument.
func oversizedCall(pipe *parse.PipeNode, values map[string]any) (call string, size int64, big bool) {
	var piped parse.Node
	for _, cmd := range pipe.Cmds {
		prev := piped
		if len(cmd.Args) == 1 {
			piped = cmd.Args[0]
		} else {
			piped = nil
		}
		id, ok := cmd.Args[0].(*parse.IdentifierNode)
		if !ok {
			continue
		}
		sizer, ok := sizers[id.Ident]
		if !ok {
			continue
		}
		args := cmd.Args[1:]
		if prev != nil {
			args = append(append([]parse.Node{}, args...), prev)
		}
		var ints []int64
		var strLen int64
		known := true
		for _, a := range args {
			switch v := resolve(a, values).(type) {
			case int64:
				ints = append(ints, v)
			case string:
				strLen = int64(len(v))
			default:
				known = false
			}
		}
		if !known {
			continue
		}
		if n, ok := sizer(ints, strLen); ok && n > MaxAllocation {
			return strings.TrimSpace(cmd.String()), n, true
		}
	}
	return "", 0, false
}

// resolve gives a literal's value, or a .Values field's from the render's
// values: int64 or string; nil when it cannot be known before rendering.
func resolve(n parse.Node, values map[string]any) any {
	switch v := n.(type) {
	case *parse.NumberNode:
		if v.IsInt {
			return v.Int64
		}
		if v.IsFloat && v.Float64 == math.Trunc(v.Float64) && math.Abs(v.Float64) < math.MaxInt64/2 {
			return int64(v.Float64)
		}
	case *parse.StringNode:
		return v.Text
	case *parse.PipeNode:
		if len(v.Cmds) != 1 {
			return nil
		}
		switch args := v.Cmds[0].Args; {
		case len(args) == 1:
			return resolve(args[0], values)
		case len(args) == 2 && isConversion(args[0]):
			// (int .Values.n): the values' numbers are float64, which
			// until and friends only take converted.
			return toInt(resolveValue(args[1], values))
		}
	case *parse.FieldNode:
		if s, ok := resolveValue(v, values).(string); ok {
			return s
		}
	}
	return nil
}

// isConversion reports whether n names a sprig function that makes an
// int of its argument.
func isConversion(n parse.Node) bool {
	id, ok := n.(*parse.IdentifierNode)
	return ok && (id.Ident == "int" || id.Ident == "int64" || id.Ident == "atoi")
}

func toInt(v any) any {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		if math.Abs(x) < math.MaxInt64/2 {
			return int64(x)
		}
	case string:
		if n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64); err == nil {
			return n
		}
	}
	return nil
}

// resolveValue gives a literal's or a .Values field's value as is: int64,
// float64 or string.
func resolveValue(n parse.Node, values map[string]any) any {
	switch v := n.(type) {
	case *parse.NumberNode, *parse.StringNode, *parse.PipeNode:
		return resolve(n, values)
	case *parse.FieldNode:
		if len(v.Ident) < 2 || v.Ident[0] != "Values" {
			return nil
		}
		var cur any = values
		for _, k := range v.Ident[1:] {
			m, ok := asMap(cur)
			if !ok {
				return nil
			}
			cur = m[k]
		}
		switch x := cur.(type) {
		case int:
			return int64(x)
		case int64, float64, string:
			return x
		}
	}
	return nil
}

func asMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case chartutil.Values:
		return m, true
	}
	return nil, false
}
