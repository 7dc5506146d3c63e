package labcheck.docker.no_secrets_test

import data.labcheck.docker.no_secrets

ins(cmd, args) := {"dockerfiles": [{"file": "D", "stages": [{"instructions": [{"cmd": cmd, "pairs": pairs(args), "line": 4}]}]}]}

pairs(args) := [{"key": args[i], "value": args[i + 1]} | some i in numbers.range(0, count(args) - 2); i % 2 == 0]

test_fail_env_password if {
	some f in no_secrets.deny with input as ins("env", ["MINIO_ROOT_PASSWORD", "minio123"])
	startswith(f.msg, "ENV MINIO_ROOT_PASSWORD sets a secret-looking value")
}

test_fail_arg_token_default if {
	count(no_secrets.deny) == 1 with input as ins("arg", ["GITHUB_TOKEN", "ghp_abc"])
}

test_pass_arg_without_default if {
	count(no_secrets.deny) == 0 with input as ins("arg", ["GITHUB_TOKEN", ""])
}

test_pass_plain_env if {
	count(no_secrets.deny) == 0 with input as ins("env", ["PORT", "8080", "MODE", "prod"])
}

test_pass_reference if {
	count(no_secrets.deny) == 0 with input as ins("env", ["API_KEY", "${API_KEY}"])
}

test_pass_file_names_a_file if {
	count(no_secrets.deny) == 0 with input as ins("env", ["MINIO_ROOT_PASSWORD_FILE", "/run/secrets/minio_root_password"])
}

test_pass_flag_values if {
	count(no_secrets.deny) == 0 with input as ins("env", ["ALLOW_EMPTY_PASSWORD", "no", "MINIO_SECRET_ROTATION", "off", "TOKEN_AUTH", "true"])
}
