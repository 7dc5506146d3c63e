package labcheck.kubernetes.parse_error_test

import data.labcheck.kubernetes.parse_error
import data.labcheck.test.k8s

test_fail_problem_reported if {
	parse_error.deny == {{"msg": "invalid YAML: mapping values are not allowed in this context", "file": "a.yaml", "line": 5}} with input as object.union(k8s.passing, {"problems": [{"file": "a.yaml", "line": 5, "message": "invalid YAML: mapping values are not allowed in this context"}]})
}

test_pass_no_problems if {
	count(parse_error.deny) == 0 with input as k8s.passing
}
