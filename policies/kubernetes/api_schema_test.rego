package labcheck.kubernetes.api_schema_test

import data.labcheck.kubernetes.api_schema
import data.labcheck.test.k8s

test_fail_schema_error_reported if {
	api_schema.deny == {{"msg": "StatefulSet minio: unknown field spec.replica; did you mean replicas?", "file": "sts.yaml", "line": 10}} with input as object.union(k8s.passing, {"schema_errors": [{"file": "sts.yaml", "line": 10, "kind": "StatefulSet", "name": "minio", "path": "spec.replica", "message": "unknown field spec.replica; did you mean replicas?"}]})
}

test_fail_document_without_kind if {
	some f in api_schema.deny with input as object.union(k8s.passing, {"schema_errors": [{"file": "a.yaml", "line": 1, "kind": "", "name": "", "path": "", "message": "the document has no apiVersion and no kind"}]})
	startswith(f.msg, "document: ")
}

test_pass_no_schema_errors if {
	count(api_schema.deny) == 0 with input as k8s.passing
}
