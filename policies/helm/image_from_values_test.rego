package labcheck.helm.image_from_values_test

import data.labcheck.helm.image_from_values
import data.labcheck.test.helm

with_image(value) := helm.with_template({"keys": [{"key": "image", "value": value, "indent": 10, "line": 38}]})

test_fail_literal_image if {
	image_from_values.deny == {{
		"msg": `templates/statefulset.yaml hard-codes the image quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z; take it from values: image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"`,
		"file": "labs/helm/minio/templates/statefulset.yaml", "line": 38,
	}} with input as with_image("quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z")
}

test_fail_literal_repository if {
	some f in image_from_values.deny with input as with_image(`"quay.io/minio/minio:{{ .Values.image.tag }}"`)
	contains(f.msg, "writes part of the image literally (quay.io/minio/minio:{{ .Values.image.tag }})")
}

test_pass_image_from_values if {
	count(image_from_values.deny) == 0 with input as helm.passing
}

test_pass_image_from_a_helper if {
	count(image_from_values.deny) == 0 with input as with_image(`{{ include "minio.image" . }}`)
}

test_pass_test_hook_image if {
	hook := helm.replace(helm.statefulset, {"path": "templates/tests/test.yaml", "test": true, "keys": [{"key": "image", "value": "curlimages/curl:8.13.0", "indent": 6, "line": 9}]})
	count(image_from_values.deny) == 0 with input as helm.with_chart({"templates": [helm.helpers, hook]})
}

test_pass_digest_and_conditional_suffix_from_values if {
	digest := {"key": "image", "value": `"{{ .registry }}/{{ .repository }}:{{ .tag }}@sha256:{{ .sha }}"`, "literal": `"/:@sha256:"`, "action": true, "indent": 10, "line": 20}
	suffix := {"key": "image", "value": `"{{ .Values.image.repository }}:{{ .Values.image.tag }}{{ if .Values.image.distroless }}-distroless{{ end }}"`, "literal": `":"`, "action": true, "indent": 10, "line": 20}
	count(image_from_values.deny) == 0 with input as helm.with_template({"keys": [digest]})
	count(image_from_values.deny) == 0 with input as helm.with_template({"keys": [suffix]})
}

test_fail_literal_tag_from_the_parse_tree if {
	k := {"key": "image", "value": `"{{ .Values.image.repository }}:v1"`, "literal": `":v1"`, "action": true, "indent": 10, "line": 20}
	some f in image_from_values.deny with input as helm.with_template({"keys": [k]})
	contains(f.msg, "writes part of the image literally")
}
