# METADATA
# description: >-
#   Shared helpers for the Helm lab's policies: lines of Chart.yaml and
#   values.yaml keys, the chart's own templates and helpers, and what is left
#   of a template value once its actions are taken out. The input is
#   documented on helmLab in internal/check/helm.go.
package labcheck.lib.helm

import data.labcheck.lib.objects

# chart_line is the line of a Chart.yaml key, or 0 when the key is absent.
chart_line(chart, key) := object.get(chart.chart_yaml.lines, key, 0)

# value_line is the line of a values.yaml path (dotted, as manifest.Path
# writes it) or of its nearest parent that has one, or 0.
value_line(chart, path) := objects.line_in(object.get(chart, ["values", "lines"], {}), path, 0)

# chart_name is the chart's name for messages and examples, "<chart>" when
# Chart.yaml does not give one.
chart_name(chart) := name if {
	name := chart.chart_yaml.object.name
	is_string(name)
	name != ""
} else := "<chart>"

# manifest_templates are the chart's own templates that write manifests:
# not partials, not NOTES.txt, YAML files.
manifest_templates(chart) := [t |
	some t in chart.templates
	not t.partial
	regex.match(`\.(yaml|yml)$`, t.path)
]

# defines are the helpers the chart's templates define.
defines(chart) := {d.name | some t in chart.templates; some d in t.defines}

# literal is what a template value writes itself: the value without its
# {{ }} actions, quotes and separators. "" means it all comes from actions.
literal(value) := regex.replace(regex.replace(value, `\{\{.*?\}\}`, ""), `["'\s:/@._\-]`, "")

# has_action says whether a template value is computed by an action.
has_action(value) if contains(value, "{{")

# key_action says whether an action, or a branch of if/range/with, writes
# part of a template key's value (Go reads it from the template's parse
# tree; keys without that fact fall back to the value's text).
key_action(k) if k.action

key_action(k) if {
	not "action" in object.keys(k)
	has_action(k.value)
}

# key_literal is what a template key's value writes as it is (from the
# parse tree: outside actions and conditional branches), without quotes,
# separators and a digest's algorithm (@sha256:). "" means values decide
# all of it.
key_literal(k) := literal_text(object.get(k, "literal", regex.replace(k.value, `\{\{.*?\}\}`, "")))

literal_text(s) := regex.replace(regex.replace(s, `@sha256:`, ""), `["'\s:/@._\-]`, "")

# key_line is the line of the first key of a template at an indentation,
# or 0.
key_line(t, key, indent) := min([k.line | some k in t.keys; k.key == key; k.indent == indent]) if {
	some k in t.keys
	k.key == key
	k.indent == indent
} else := 0
