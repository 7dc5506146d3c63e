package labcheck.docker.exec_form_test

import data.labcheck.docker.exec_form

final(ins) := {"dockerfiles": [{"file": "D", "stages": [{"instructions": ins}]}]}

test_fail_shell_form_cmd if {
	some f in exec_form.deny with input as final([{"cmd": "cmd", "args": ["/app --port 80"], "json": false, "line": 9}])
	f.line == 9
	startswith(f.msg, "CMD /app --port 80 is in shell form")
}

test_fail_shell_form_entrypoint if {
	count(exec_form.deny) == 1 with input as final([{"cmd": "entrypoint", "args": ["/app"], "json": false, "line": 9}])
}

test_pass_exec_form if {
	count(exec_form.deny) == 0 with input as final([{"cmd": "cmd", "args": ["/app", "--port", "80"], "json": true, "line": 9}])
}
