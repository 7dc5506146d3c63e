# Test data shared by the Helm policies' tests: a passing MinIO chart as the
# lab's input carries it (see helmLab in internal/check/helm.go), and ways to
# build broken variants of it.
package labcheck.test.helm

dir := "labs/helm/minio"

chart_yaml := {
	"file": "labs/helm/minio/Chart.yaml", "present": true, "parsed": true,
	"object": {"apiVersion": "v2", "name": "minio", "version": "0.1.0", "appVersion": "RELEASE.2025-04-22T22-12-26Z"},
	"lines": {"apiVersion": 1, "name": 2, "version": 5, "appVersion": 6},
}

values := {
	"file": "labs/helm/minio/values.yaml", "present": true, "parsed": true,
	"object": {
		"replicaCount": 4,
		"image": {"repository": "quay.io/minio/minio", "tag": "RELEASE.2025-04-22T22-12-26Z"},
		"resources": {"requests": {"cpu": "250m", "memory": "512Mi"}},
		"persistence": {"enabled": true, "size": "1Gi"},
	},
	"lines": {
		"replicaCount": 2, "image": 4, "image.repository": 5, "image.tag": 6,
		"resources": 21, "resources.requests": 22, "persistence": 29, "persistence.enabled": 30, "persistence.size": 32,
	},
}

helpers := {
	"file": "labs/helm/minio/templates/_helpers.tpl", "path": "templates/_helpers.tpl", "partial": true, "test": false,
	"defines": [{"name": "minio.name", "line": 2}, {"name": "minio.fullname", "line": 7}, {"name": "minio.labels", "line": 32}],
	"includes": [{"name": "minio.name", "line": 27}],
	"keys": [],
}

statefulset := {
	"file": "labs/helm/minio/templates/statefulset.yaml", "path": "templates/statefulset.yaml", "partial": false, "test": false,
	"defines": [],
	"includes": [{"name": "minio.fullname", "line": 4}, {"name": "minio.labels", "line": 7}],
	"keys": [
		{"key": "apiVersion", "value": "apps/v1", "indent": 0, "line": 1},
		{"key": "metadata", "value": "", "indent": 0, "line": 3},
		{"key": "name", "value": `{{ include "minio.fullname" . }}`, "indent": 2, "line": 4},
		{"key": "replicas", "value": "{{ .Values.replicaCount }}", "indent": 2, "line": 10},
		{"key": "name", "value": "minio", "indent": 10, "line": 37},
		{"key": "image", "value": `"{{ .Values.image.repository }}:{{ .Values.image.tag }}"`, "indent": 10, "line": 38},
	],
}

chart := {
	"dir": dir,
	"chart_yaml": chart_yaml,
	"version": {"helm": true, "semver": true},
	"values": values,
	"helpers": {"file": "labs/helm/minio/templates/_helpers.tpl", "present": true},
	"templates": [helpers, statefulset],
	"renders": [
		{"values": "labs/helm/minio/values.yaml", "rendered": true, "objects": 7},
		{"values": "labs/helm/minio/ci/six-nodes-values.yaml", "rendered": true, "objects": 7},
	],
	"kubernetes": [],
}

submission(charts) := {"charts": charts, "problems": [], "ci_problems": [], "limits": [], "withheld": [], "expected": {"dir": "labs/helm"}}

passing := submission([chart])

# replace sets fields of an object, replacing (not merging) their values.
replace(obj, fields) := object.union(object.remove(obj, object.keys(fields)), fields)

# with_chart replaces fields of the chart: with_chart({"version": {...}}).
with_chart(fields) := submission([replace(chart, fields)])

# with_chart_yaml replaces Chart.yaml's content and lines.
with_chart_yaml(obj, lines) := with_chart({"chart_yaml": replace(chart_yaml, {"object": obj, "lines": lines})})

# with_values replaces values.yaml's content and lines.
with_values(obj, lines) := with_chart({"values": replace(values, {"object": obj, "lines": lines})})

# with_template replaces fields of the StatefulSet template.
with_template(fields) := with_chart({"templates": [helpers, replace(statefulset, fields)]})
