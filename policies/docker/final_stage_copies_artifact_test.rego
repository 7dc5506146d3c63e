package labcheck.docker.final_stage_copies_artifact_test

import data.labcheck.docker.final_stage_copies_artifact

two_stages(final_ins) := {"dockerfiles": [{"file": "D", "stages": [
	{"index": 0, "name": "build", "line": 1, "base": {"raw": "golang:1.22"}, "instructions": []},
	{"index": 1, "name": "", "line": 3, "base": {"raw": "alpine:3.20"}, "instructions": final_ins},
]}]}

test_fail_no_copy_from if {
	some f in final_stage_copies_artifact.deny with input as two_stages([{"cmd": "copy", "flags": [], "line": 4}])
	f.line == 3
}

test_pass_copy_from_named_stage if {
	count(final_stage_copies_artifact.deny) == 0 with input as two_stages([{"cmd": "copy", "flags": ["--from=build"], "line": 4}])
}

test_pass_copy_from_index if {
	count(final_stage_copies_artifact.deny) == 0 with input as two_stages([{"cmd": "copy", "flags": ["--from=0"], "line": 4}])
}

test_fail_copy_from_external_image_only if {
	count(final_stage_copies_artifact.deny) == 1 with input as two_stages([{"cmd": "copy", "flags": ["--from=nginx:1.27"], "line": 4}])
}
