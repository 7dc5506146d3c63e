package labcheck.istio.parse_error_test

import data.labcheck.istio.parse_error

test_fail_problem_reported if {
	parse_error.deny == {{"msg": "invalid YAML: mapping values are not allowed in this context", "file": "labs/istio/gw.yaml", "line": 5}} with input as {"problems": [{"message": "invalid YAML: mapping values are not allowed in this context", "file": "labs/istio/gw.yaml", "line": 5}]}
}

test_pass_no_problems if {
	count(parse_error.deny) == 0 with input as {"problems": [], "objects": []}
}
