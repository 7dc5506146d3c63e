package labcheck.helm.templates_use_helpers_test

import data.labcheck.helm.templates_use_helpers
import data.labcheck.test.helm

service(name, includes) := {
	"file": "labs/helm/minio/templates/service.yaml", "path": "templates/service.yaml", "partial": false, "test": false,
	"defines": [], "includes": includes,
	"keys": [
		{"key": "apiVersion", "value": "v1", "indent": 0, "line": 1},
		{"key": "kind", "value": "Service", "indent": 0, "line": 2},
		{"key": "metadata", "value": "", "indent": 0, "line": 3},
		{"key": "name", "value": name, "indent": 2, "line": 4},
		{"key": "spec", "value": "", "indent": 0, "line": 7},
		{"key": "name", "value": "api", "indent": 6, "line": 9},
	],
}

test_fail_hard_coded_name if {
	sub := helm.with_chart({"templates": [helm.helpers, service("minio-headless", [{"name": "minio.labels", "line": 6}])]})
	templates_use_helpers.deny == {{
		"msg": `templates/service.yaml hard-codes the object name minio-headless; name it with {{ include "minio.fullname" . }} (plus a suffix if the chart has several) so that releases do not collide`,
		"file": "labs/helm/minio/templates/service.yaml", "line": 4,
	}} with input as sub
}

test_fail_no_helper_at_all if {
	sub := helm.with_chart({"templates": [helm.helpers, service("{{ .Release.Name }}", [])]})
	some f in templates_use_helpers.deny with input as sub
	f.line == 4
	contains(f.msg, "uses none of the chart's helpers")
}

test_pass_helpers_used if {
	count(templates_use_helpers.deny) == 0 with input as helm.passing
}

test_pass_name_from_helper if {
	sub := helm.with_chart({"templates": [helm.helpers, service(`{{ include "minio.fullname" . }}-headless`, [{"name": "minio.fullname", "line": 4}])]})
	count(templates_use_helpers.deny) == 0 with input as sub
}

crd_template := {
	"file": "labs/helm/minio/templates/crd.yaml", "path": "templates/crd.yaml", "partial": false, "test": false,
	"defines": [], "includes": [],
	"keys": [
		{"key": "apiVersion", "value": "apiextensions.k8s.io/v1", "indent": 0, "line": 1, "kind": "CustomResourceDefinition"},
		{"key": "kind", "value": "CustomResourceDefinition", "indent": 0, "line": 2, "kind": "CustomResourceDefinition"},
		{"key": "metadata", "value": "", "indent": 0, "line": 3, "kind": "CustomResourceDefinition"},
		{"key": "name", "value": "tenants.minio.min.io", "indent": 2, "line": 4, "kind": "CustomResourceDefinition"},
	],
}

test_pass_crd_named_plural_group if {
	crd := {"file": "labs/helm/minio/templates/crd.yaml", "line": 4, "name": "tenants.minio.min.io", "plural": "tenants", "group": "minio.min.io"}
	sub := helm.with_chart({"templates": [helm.helpers, crd_template], "crds": [crd]})
	count(templates_use_helpers.deny) == 0 with input as sub
}

test_fail_crd_misnamed if {
	crd := {"file": "labs/helm/minio/templates/crd.yaml", "line": 4, "name": "tenants", "plural": "tenants", "group": "minio.min.io"}
	sub := helm.with_chart({"templates": [helm.helpers, crd_template], "crds": [crd]})
	templates_use_helpers.deny == {{
		"msg": "CustomResourceDefinition tenants must be named <plural>.<group>, tenants.minio.min.io; Kubernetes refuses any other name",
		"file": "labs/helm/minio/templates/crd.yaml", "line": 4,
	}} with input as sub
}

test_pass_template_without_objects if {
	guards := {
		"file": "labs/helm/minio/templates/checks.yaml", "path": "templates/checks.yaml", "partial": false, "test": false,
		"defines": [], "includes": [], "keys": [],
	}
	sub := helm.with_chart({"templates": [helm.helpers, guards]})
	count(templates_use_helpers.deny) == 0 with input as sub
}
