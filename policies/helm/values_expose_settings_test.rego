package labcheck.helm.values_expose_settings_test

import data.labcheck.helm.values_expose_settings
import data.labcheck.test.helm

test_fail_image_as_one_string if {
	sub := helm.with_values(
		object.union(object.remove(helm.values.object, ["image"]), {"image": "quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z"}),
		{"replicaCount": 2, "image": 4, "resources": 21, "persistence": 29},
	)
	values_expose_settings.deny == {
		{"msg": "values.yaml does not set image.repository (the MinIO image's repository); add a default for it", "file": "labs/helm/minio/values.yaml", "line": 4},
		{"msg": "values.yaml does not set image.tag (the MinIO image's tag); add a default for it", "file": "labs/helm/minio/values.yaml", "line": 4},
	} with input as sub
}

test_fail_missing_top_level_key if {
	sub := helm.with_values(object.remove(helm.values.object, ["replicaCount"]), object.remove(helm.values.lines, ["replicaCount"]))
	some f in values_expose_settings.deny with input as sub
	f.line == 0
	contains(f.msg, "replicaCount")
}

test_fail_no_values_file if {
	sub := helm.with_chart({"values": {"file": "labs/helm/minio/values.yaml", "present": false, "parsed": false, "object": {}, "lines": {}}})
	some f in values_expose_settings.deny with input as sub
	contains(f.msg, "the chart has no values.yaml")
	f.file == "labs/helm/minio" # the folder where it belongs, not a file that does not exist
}

test_pass_settings_exposed if {
	count(values_expose_settings.deny) == 0 with input as helm.passing
}

test_pass_empty_tag_is_set if {
	sub := helm.with_values(object.union(helm.values.object, {"image": {"repository": "quay.io/minio/minio", "tag": ""}}), helm.values.lines)
	count(values_expose_settings.deny) == 0 with input as sub
}

test_pass_unparsed_values_are_reported_elsewhere if {
	sub := helm.with_chart({"values": object.union(helm.values, {"parsed": false, "object": {}})})
	count(values_expose_settings.deny) == 0 with input as sub
}
