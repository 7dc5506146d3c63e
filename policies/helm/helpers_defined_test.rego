package labcheck.helm.helpers_defined_test

import data.labcheck.helm.helpers_defined
import data.labcheck.test.helm

test_fail_missing_fullname if {
	helpers := helm.replace(helm.helpers, {"defines": [{"name": "minio.name", "line": 2}, {"name": "minio.labels", "line": 32}]})
	sub := helm.with_chart({"templates": [helpers, helm.statefulset]})
	helpers_defined.deny == {{
		"msg": `no partial of the chart (templates/_*.tpl) defines a minio.fullname helper (the release-qualified name of every object); define it with {{- define "minio.fullname" -}}`,
		"file": "labs/helm/minio/templates/_helpers.tpl", "line": 0,
	}} with input as sub
}

test_fail_no_helpers_file if {
	sub := helm.with_chart({"helpers": {"file": "labs/helm/minio/templates", "present": false}, "templates": [helm.statefulset]})
	some f in helpers_defined.deny with input as sub
	contains(f.msg, "has no helpers file")
	f.file == "labs/helm/minio/templates"
}

test_pass_helpers_defined if {
	count(helpers_defined.deny) == 0 with input as helm.passing
}

test_pass_helpers_in_another_partial if {
	other := helm.replace(helm.helpers, {"file": "labs/helm/minio/templates/_names.tpl", "path": "templates/_names.tpl"})
	empty := helm.replace(helm.helpers, {"defines": []})
	sub := helm.with_chart({"templates": [empty, other, helm.statefulset]})
	count(helpers_defined.deny) == 0 with input as sub
}

test_pass_helpers_in_helper_tpl_without_helpers_tpl if {
	only := helm.replace(helm.helpers, {"file": "labs/helm/minio/templates/_helper.tpl", "path": "templates/_helper.tpl"})
	sub := helm.with_chart({"helpers": {"file": "labs/helm/minio/templates/_helper.tpl", "present": true}, "templates": [only, helm.statefulset]})
	count(helpers_defined.deny) == 0 with input as sub
}
