package labcheck.docker.apt_lists_removed_test

import data.labcheck.docker.apt_lists_removed

run(args) := {"dockerfiles": [{"file": "D", "stages": [{"instructions": [{"cmd": "run", "args": args, "flags": [], "heredocs": [], "line": 3}]}]}]}

test_fail_lists_kept if {
	some f in apt_lists_removed.deny with input as run(["apt-get update && apt-get install -y curl"])
	f.line == 3
}

test_pass_lists_removed if {
	count(apt_lists_removed.deny) == 0 with input as run(["apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*"])
}

test_pass_no_apt if {
	count(apt_lists_removed.deny) == 0 with input as run(["go build ./..."])
}
