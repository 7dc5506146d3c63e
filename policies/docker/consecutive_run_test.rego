package labcheck.docker.consecutive_run_test

import data.labcheck.docker.consecutive_run

stage(ins) := {"dockerfiles": [{"file": "D", "stages": [{"instructions": ins}]}]}

test_fail_two_runs if {
	some f in consecutive_run.deny with input as stage([{"cmd": "from", "flags": [], "line": 1}, {"cmd": "run", "flags": [], "line": 2}, {"cmd": "run", "flags": [], "line": 3}])
	f.line == 3
	f.msg == "RUN at line 3 follows the RUN at line 2; merge them into one layer"
}

test_pass_separated if {
	count(consecutive_run.deny) == 0 with input as stage([{"cmd": "run", "flags": [], "line": 2}, {"cmd": "copy", "flags": [], "line": 3}, {"cmd": "run", "flags": [], "line": 4}])
}

test_pass_mount_flags if {
	count(consecutive_run.deny) == 0 with input as stage([{"cmd": "run", "flags": ["--mount=type=cache,target=/root/.cache"], "line": 2}, {"cmd": "run", "flags": [], "line": 3}])
}
