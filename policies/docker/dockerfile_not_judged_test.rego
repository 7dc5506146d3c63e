package labcheck.docker.dockerfile_not_judged_test

import data.labcheck.docker.dockerfile_not_judged

test_fail_names_the_graded_file if {
	sub := {"not_judged": [{"file": "labs/docker/Dockerfile.dev", "judged": ["labs/docker/Dockerfile"], "why": "docker build reads it when no -f is given"}]}
	dockerfile_not_judged.deny == {{
		"msg": "labs/docker/Dockerfile.dev is not graded: labs/docker/Dockerfile is the lab's Dockerfile (docker build reads it when no -f is given)",
		"file": "labs/docker/Dockerfile.dev",
		"line": 0,
	}} with input as sub
}

test_pass_one_dockerfile if {
	count(dockerfile_not_judged.deny) == 0 with input as {"not_judged": [], "dockerfiles": [{"file": "labs/docker/Dockerfile"}]}
}
