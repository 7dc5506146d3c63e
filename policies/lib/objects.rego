# METADATA
# description: >-
#   The one implementation of what every lab's library needs about objects
#   as manifest.Object shapes them: the line of a field path, the namespace
#   an object lands in, how labels are written in messages, and whether a
#   selector selects labels. The Kubernetes, Helm and Istio libraries
#   delegate to these, so the three labs find lines and match selectors
#   alike.
package labcheck.lib.objects

# line is the line of a field path in obj (as manifest.Path writes it:
# spec.template.spec.containers[0].image), or of its nearest parent that
# has one, or the object's own line.
line(obj, path) := line_in(lines(obj), path, obj.line)

# lines are an object's field lines. labcheck's inputs leave them out of
# the objects, which are compared and copied far more often than a line is
# read, and answer labcheck.lines(file, doc) instead; an object written
# with its lines (as in the tests) keeps them.
lines(obj) := ls if {
	ls := obj.lines
} else := ls if {
	ls := labcheck.lines(obj.file, obj.doc)
} else := {}

# line_in is the line of a field path in a map of lines by path, or of its
# nearest parent that has one, or fallback.
line_in(lines, path, fallback) := lines[best] if {
	known := {p | some p in prefixes(path); lines[p]}
	n := max({count(p) | some p in known})
	some best in known
	count(best) == n
} else := fallback

# prefixes are path and every parent of it: "a.b[0].c" gives a, a.b,
# a.b[0] and a.b[0].c (cuts inside quoted keys are harmless: they match no line).
prefixes(path) := {path} | {substring(path, 0, i) | some sep in [".", "["]; some i in indexof_n(path, sep); i > 0}

# namespace is where an object lands when applied as written: its
# namespace, or "default".
namespace(obj) := obj.namespace if obj.namespace != ""

else := "default"

# label names an object in messages: "StatefulSet minio".
label(obj) := sprintf("%s %s", [obj.kind, obj.name])

# labels_text writes labels (or a selector's labels) as k=v pairs, sorted,
# for messages.
labels_text(labels) := "no labels" if count(labels) == 0

else := concat(", ", sort([sprintf("%s=%v", [k, v]) | some k, v in labels]))

# selects is true when every label of a map selector (a Service's
# spec.selector, a matchLabels, an Istio workload selector) is on labels.
# An empty selector selects every set of labels; callers for which it
# selects nothing (a Service without a selector) say so themselves.
selects(selector, labels) if {
	is_object(selector)
	every k, v in selector {
		labels[k] == v
	}
}
