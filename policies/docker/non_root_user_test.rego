package labcheck.docker.non_root_user_test

import data.labcheck.docker.non_root_user

dockerfile(final_ins) := {"dockerfiles": [{"file": "D", "stages": [
	{"index": 0, "name": "build", "line": 1, "base": {"raw": "golang:1.22", "image": "golang", "stage": false}, "instructions": [{"cmd": "user", "args": ["1000"], "line": 2}]},
	{"index": 1, "name": "", "line": 3, "base": {"raw": "alpine:3.20", "image": "alpine", "stage": false}, "instructions": final_ins},
]}]}

test_fail_no_user_anywhere_in_final_stage if {
	some f in non_root_user.deny with input as dockerfile([])
	f.line == 3
	contains(f.msg, "sets no USER")
}

test_fail_root_user if {
	some f in non_root_user.deny with input as dockerfile([{"cmd": "user", "args": ["1000"], "line": 4}, {"cmd": "user", "args": ["root:root"], "line": 6}])
	f.line == 6
	contains(f.msg, "USER root:root")
}

test_fail_uid_zero if {
	count(non_root_user.deny) == 1 with input as dockerfile([{"cmd": "user", "args": ["0"], "line": 4}])
}

test_pass_nonroot if {
	count(non_root_user.deny) == 0 with input as dockerfile([{"cmd": "user", "args": ["root"], "line": 4}, {"cmd": "user", "args": ["65532:65532"], "line": 5}])
}

test_pass_inherited_from_stage if {
	count(non_root_user.deny) == 0 with input as {"dockerfiles": [{"file": "D", "stages": [
		{"index": 0, "name": "base", "line": 1, "base": {"raw": "alpine:3.20", "image": "alpine", "stage": false}, "instructions": [{"cmd": "user", "args": ["app"], "line": 2}]},
		{"index": 1, "name": "", "line": 3, "base": {"raw": "base", "image": "base", "stage": true}, "instructions": []},
	]}]}
}
