package labcheck.lib.helm_test

import data.labcheck.lib.helm

test_value_line_falls_back_to_the_parent if {
	chart := {"values": {"lines": {"image": 4, "image.repository": 5}}}
	helm.value_line(chart, "image.repository") == 5
	helm.value_line(chart, "image.tag") == 4
	helm.value_line(chart, "persistence.size") == 0
}

test_literal if {
	helm.literal(`"{{ .Values.image.repository }}:{{ .Values.image.tag }}"`) == ""
	helm.literal(`"{{ .Values.image.registry }}/{{ .Values.image.repository }}@{{ .Values.image.digest }}"`) == ""
	helm.literal(`quay.io/minio/minio:{{ .Values.image.tag }}`) == "quayiominiominio"
	helm.literal(`{{ .Values.image.repository }}:v1`) == "v1"
}

test_manifest_templates if {
	chart := {"templates": [
		{"path": "templates/_helpers.tpl", "partial": true},
		{"path": "templates/sts.yaml", "partial": false},
		{"path": "templates/notes.txt", "partial": false},
	]}
	[t.path | some t in helm.manifest_templates(chart)] == ["templates/sts.yaml"]
}

test_chart_name if {
	helm.chart_name({"chart_yaml": {"object": {"name": "minio"}}}) == "minio"
	helm.chart_name({"chart_yaml": {"object": {}}}) == "<chart>"
}

test_key_line if {
	t := {"keys": [{"key": "name", "indent": 4, "line": 9}, {"key": "name", "indent": 2, "line": 4}, {"key": "name", "indent": 2, "line": 20}]}
	helm.key_line(t, "name", 2) == 4
	helm.key_line(t, "kind", 0) == 0
}
