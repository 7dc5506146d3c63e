package labcheck.lib.docker_test

import data.labcheck.lib.docker

test_commands_split if {
	docker.commands("apk update && apk add --no-cache curl; echo ok | tee x") == ["apk update", "apk add --no-cache curl", "echo ok", "tee x"]
}

test_commands_line_continuations if {
	docker.commands("apt-get update \\\n && apt-get install -y curl") == ["apt-get update", "apt-get install -y curl"]
}

test_flag_value if {
	docker.flag({"flags": ["--chown=1000", "--from=build"]}, "from") == "build"
}

test_has_bare_flag if {
	docker.has_flag({"flags": ["--link"]}, "link")
}

test_flag_absent if {
	not docker.has_flag({"flags": ["--from=build"]}, "chown")
}

test_run_script_includes_heredocs if {
	docker.run_script({"args": ["<<EOF"], "heredocs": [{"content": "apk add curl\n"}]}) == "<<EOF\napk add curl\n"
}

test_final_stage if {
	docker.final_stage({"stages": [{"index": 0}, {"index": 1}]}).index == 1
}

test_stage_label if {
	docker.stage_label({"name": "", "index": 2}) == "stage 2"
	docker.stage_label({"name": "build", "index": 0}) == "stage 'build'"
}
