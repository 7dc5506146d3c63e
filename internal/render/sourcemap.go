package render

import (
	"regexp"
	"strconv"
	"strings"
)

// SourceLine finds the line of a template that produced line n of its
// rendered output. Rendering substitutes values, inserts helpers' lines
// and drops conditional blocks, so there is no exact map; this heuristic
// tries, in order of trust:
//
//  1. a template line identical to the rendered one: text the template
//     writes literally ("  podManagementPolicy: Parallel");
//  2. a template line with the same YAML key at the same indentation
//     ("  replicas: {{ .Values.replicaCount }}" for "  replicas: 4");
//  3. for a list item without a key ("- http://minio-{0...3}..."), the
//     item at the same indentation and rank, but only when the template
//     and its output have as many such items (no loop or condition shifted
//     them).
//
// When several template lines match, the rendered line's rank among the
// rendered lines that match the same way picks one (the second
// "kind: Service" of a file is the second in its template), clamped to
// the last, so every pass of a range loop maps to the loop's line.
//
// ok is false when nothing matches: the line came from a helper or from
// toYaml, and the caller should try the line of an enclosing key.
func (m Manifest) SourceLine(n int) (line int, ok bool) {
	out := strings.Split(m.Output, "\n")
	if n < 1 || n > len(out) {
		return 0, false
	}
	src := strings.Split(m.Source, "\n")
	for _, sig := range []func(string) string{literal, keyAtIndent, itemAtIndent} {
		want := sig(out[n-1])
		if want == "" {
			continue
		}
		rank, total := 0, 0
		for i, l := range out {
			if sig(l) == want {
				total++
				if i < n-1 {
					rank++
				}
			}
		}
		var cands []int
		for i, l := range src {
			if sig(l) == want {
				cands = append(cands, i+1)
			}
		}
		aligned := len(cands) == total
		if len(cands) > 0 && (aligned || !isItem(want)) {
			return cands[min(rank, len(cands)-1)], true
		}
	}
	return 0, false
}

var listItem = regexp.MustCompile(`^(\s*)-\s+\S`)

// itemAtIndent is "N -" for a list item without a key at indentation N,
// else "".
func itemAtIndent(l string) string {
	if _, _, _, ok := KeyLine(l); ok {
		return ""
	}
	m := listItem.FindStringSubmatch(l)
	if m == nil {
		return ""
	}
	return strconv.Itoa(len(m[1])) + " -"
}

func isItem(sig string) bool { return strings.HasSuffix(sig, " -") }

// literal is a line without trailing space, or "" for a blank one.
func literal(l string) string {
	l = strings.TrimRight(l, " \t\r")
	if strings.TrimSpace(l) == "" {
		return ""
	}
	return l
}

// keyAtIndent is a line's YAML key with its indentation, or "" when the
// line has no plain key.
func keyAtIndent(l string) string {
	indent, key, _, ok := KeyLine(l)
	if !ok {
		return ""
	}
	return strconv.Itoa(indent) + " " + key
}
