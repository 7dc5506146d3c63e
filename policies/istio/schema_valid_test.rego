package labcheck.istio.schema_valid_test

import data.labcheck.istio.schema_valid

test_fail_schema_error_reported if {
	msg := "VirtualService minio: unknown field spec.htpp: VirtualService has no field \"htpp\"; did you mean http?"
	schema_valid.deny == {{"msg": msg, "file": "labs/istio/vs.yaml", "line": 8}} with input as {"schema_errors": [{"file": "labs/istio/vs.yaml", "line": 8, "kind": "VirtualService", "name": "minio", "path": "spec.htpp", "message": msg}]}
}

test_pass_no_schema_errors if {
	count(schema_valid.deny) == 0 with input as {"schema_errors": []}
}
