package labcheck.docker.copy_from_known_stage_test

import data.labcheck.docker.copy_from_known_stage

dockerfile(from) := {"dockerfiles": [{"file": "D", "stages": [
	{"index": 0, "name": "build", "line": 1, "instructions": []},
	{"index": 1, "name": "", "line": 3, "instructions": [{"cmd": "copy", "flags": [sprintf("--from=%s", [from])], "line": 4}]},
]}]}

test_fail_typo if {
	some f in copy_from_known_stage.deny with input as dockerfile("biuld")
	f.msg == "COPY --from=biuld: no stage is named 'biuld' (stages: build) and it is not an image reference"
	f.line == 4
}

test_fail_index_not_before if {
	some f in copy_from_known_stage.deny with input as dockerfile("1")
	contains(f.msg, "stage index 1")
}

test_fail_own_stage if {
	some f in copy_from_known_stage.deny with input as {"dockerfiles": [{"file": "D", "stages": [{"index": 0, "name": "build", "line": 1, "instructions": [{"cmd": "copy", "flags": ["--from=build"], "line": 2}]}]}]}
	contains(f.msg, "its own stage")
}

test_pass_known_stage if {
	count(copy_from_known_stage.deny) == 0 with input as dockerfile("build")
}

test_pass_image_reference if {
	count(copy_from_known_stage.deny) == 0 with input as dockerfile("nginx:1.27")
}

test_pass_index if {
	count(copy_from_known_stage.deny) == 0 with input as dockerfile("0")
}
