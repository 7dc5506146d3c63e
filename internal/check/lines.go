package check

import "github.com/labcheck/labcheck/internal/parse/manifest"

// fieldLines indexes the field lines of a lab input's objects, which stay
// out of the input's Rego value (manifest.Object.Lines is not marshalled):
// the policies read an object's lines through labcheck.lines(file, doc)
// only for a finding (see engine.FieldLines).
type fieldLines map[objectAt]map[string]int

type objectAt struct {
	file string
	doc  int
}

// linesOf indexes the objects' lines; the first object at a place wins.
func linesOf(lists ...[]manifest.Object) fieldLines {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	ix := make(fieldLines, n)
	for _, l := range lists {
		for _, o := range l {
			at := objectAt{o.File, o.Doc}
			if _, ok := ix[at]; !ok && len(o.Lines) > 0 {
				ix[at] = o.Lines
			}
		}
	}
	return ix
}

func (ix fieldLines) lookup(file string, doc int) (map[string]int, bool) {
	l, ok := ix[objectAt{file, doc}]
	return l, ok
}

// FieldLines makes the lab's input an engine.FieldLines.
func (in kubernetesLab) FieldLines(file string, doc int) (map[string]int, bool) {
	return in.lines.lookup(file, doc)
}

// FieldLines makes the lab's input an engine.FieldLines.
func (in istioLab) FieldLines(file string, doc int) (map[string]int, bool) {
	return in.lines.lookup(file, doc)
}
