package labcheck.docker.absolute_workdir_test

import data.labcheck.docker.absolute_workdir

workdir(dir) := {"dockerfiles": [{"file": "D", "stages": [{"instructions": [{"cmd": "workdir", "args": [dir], "line": 2}]}]}]}

test_fail_relative if {
	some f in absolute_workdir.deny with input as workdir("app")
	f.msg == "WORKDIR app is relative; use an absolute path such as /app"
}

test_pass_absolute if {
	count(absolute_workdir.deny) == 0 with input as workdir("/app")
}

test_pass_variable if {
	count(absolute_workdir.deny) == 0 with input as workdir("$APP_HOME")
}
