package labcheck.docker.copy_not_add_test

import data.labcheck.docker.copy_not_add

add(args) := {"dockerfiles": [{"file": "D", "stages": [{"instructions": [{"cmd": "add", "args": args, "flags": [], "line": 2}]}]}]}

test_fail_local_file if {
	some f in copy_not_add.deny with input as add(["app.py", "config.yaml", "/app/"])
	f.msg == "ADD app.py config.yaml copies local files; use COPY"
}

test_pass_archive if {
	count(copy_not_add.deny) == 0 with input as add(["rootfs.tar.gz", "/"])
}

test_pass_url if {
	count(copy_not_add.deny) == 0 with input as add(["https://example.com/tool.tgz", "/opt/"])
}
