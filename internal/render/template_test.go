package render

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseTemplate(t *testing.T) {
	text := strings.Join([]string{
		`{{- define "x.name" -}}{{ .Chart.Name }}{{- end }}`,
		`{{/* include "x.commented" . */}}`,
		`replicas: 4`,
		`image: "{{ .Values.repo }}:{{ .Values.tag }}@sha256:{{ .Values.sha }}"`,
		`name: {{ include "x.name" . }}{{ if .Values.suffix }}-extra{{ end }}`,
		`{{ template "x.other" . }}`,
		`{{- if .Values.pdb.enabled }}`,
		`kind: PodDisruptionBudget`,
		`{{- end }}`,
	}, "\n")
	tp := ParseTemplate("templates/a.yaml", text)
	if !tp.Parsed {
		t.Fatal("the template did not parse")
	}
	if diff := cmp.Diff([]Ref{{"x.name", 1}}, tp.Defines); diff != "" {
		t.Errorf("defines (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Ref{{"x.name", 5}, {"x.other", 6}}, tp.Includes); diff != "" {
		t.Errorf("includes, the commented one left out (-want +got):\n%s", diff)
	}
	lines := strings.Split(text, "\n")
	offset := func(n int) int { return len(strings.Join(lines[:n-1], "\n")) + 1 }
	for _, tc := range []struct {
		line    int
		key     string
		literal string
		action  bool
	}{
		{3, "replicas", " 4", false},
		{4, "image", ` ":@sha256:"`, true},
		{5, "name", " ", true},                     // -extra is written only when a value says so
		{8, "kind", " PodDisruptionBudget", false}, // a document wrapped in an if is written as it is
	} {
		start := offset(tc.line) + len(tc.key) + 1
		lit, action := tp.Literal(start, offset(tc.line)+len(lines[tc.line-1]))
		if lit != tc.literal || action != tc.action {
			t.Errorf("line %d: literal %q action %v, want %q %v", tc.line, lit, action, tc.literal, tc.action)
		}
	}
	if broken := ParseTemplate("b", "a: {{ .x "); broken.Parsed {
		t.Error("a broken template parsed")
	}
}
