package render

import "testing"

func TestSourceLine(t *testing.T) {
	m := Manifest{
		Source: `apiVersion: v1
kind: Service
metadata:
  name: {{ include "minio.fullname" . }}-headless
  labels:
    {{- include "minio.labels" . | nindent 4 }}
spec:
  clusterIP: None
  args:
    - server
    - {{ include "minio.servers" . }}
  ports:
    {{- range .Values.ports }}
    - port: {{ . }}
    {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "minio.fullname" . }}
spec:
  type: {{ .Values.service.type }}
  resources:
    {{- toYaml .Values.resources | nindent 4 }}`,
		Output: `apiVersion: v1
kind: Service
metadata:
  name: minio-headless
  labels:
    app: minio
    name: minio
spec:
  clusterIP: None
  args:
    - server
    - http://minio-{0...3}/data
  ports:
    - port: 9000
    - port: 9001
---
apiVersion: v1
kind: Service
metadata:
  name: minio
spec:
  type: ClusterIP
  resources:
    limits:
      cpu: 1`,
	}
	for _, tc := range []struct {
		rendered, want int
		ok             bool
	}{
		{1, 1, true},   // literal
		{9, 8, true},   // literal
		{4, 4, true},   // same key, same indentation
		{11, 10, true}, // literal list item
		{12, 11, true}, // list item at the same rank, as many in both
		{14, 14, true}, // a range's passes map to its line
		{15, 14, true},
		{17, 17, true}, // the second document's literal lines are the second ones in the template
		{20, 20, true}, // the second "  name:" key
		{22, 22, true},
		{6, 0, false},  // a helper's line: the caller tries the enclosing key
		{7, 0, false},  // "name" at indentation 4 is not in the template
		{25, 0, false}, // from toYaml
		{0, 0, false},
		{99, 0, false},
	} {
		got, ok := m.SourceLine(tc.rendered)
		if got != tc.want || ok != tc.ok {
			t.Errorf("SourceLine(%d) = %d, %v; want %d, %v", tc.rendered, got, ok, tc.want, tc.ok)
		}
	}
}
