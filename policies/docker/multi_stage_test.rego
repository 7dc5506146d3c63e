package labcheck.docker.multi_stage_test

import data.labcheck.docker.multi_stage

test_fail_single_stage if {
	some f in multi_stage.deny with input as {"dockerfiles": [{"file": "D", "stages": [{"index": 0, "line": 2, "base": {"raw": "golang:1.22"}}]}]}
	f.line == 2
	contains(f.msg, "only one stage (FROM golang:1.22)")
}

test_pass_two_stages if {
	count(multi_stage.deny) == 0 with input as {"dockerfiles": [{"file": "D", "stages": [{"index": 0, "line": 1, "base": {"raw": "a:1"}}, {"index": 1, "line": 4, "base": {"raw": "b:1"}}]}]}
}
