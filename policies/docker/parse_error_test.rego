package labcheck.docker.parse_error_test

import data.labcheck.docker.parse_error

test_fail_parse_problem_reported if {
	parse_error.deny == {{"msg": "unknown instruction: FORM", "file": "Dockerfile", "line": 2}} with input as {"problems": [{"message": "unknown instruction: FORM", "file": "Dockerfile", "line": 2}]}
}

test_pass_no_problems if {
	count(parse_error.deny) == 0 with input as {"problems": [], "dockerfiles": []}
}
