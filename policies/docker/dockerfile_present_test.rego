package labcheck.docker.dockerfile_present_test

import data.labcheck.docker.dockerfile_present

test_fail_no_dockerfile if {
	some f in dockerfile_present.deny with input as {"dockerfiles": [], "problems": [], "expected": {"dockerfile": "labs/docker/Dockerfile", "dir": "labs/docker"}}
	f.file == "labs/docker"
	contains(f.msg, "expected labs/docker/Dockerfile")
	f.line == 0
}

test_pass_dockerfile_present if {
	count(dockerfile_present.deny) == 0 with input as {"dockerfiles": [{"file": "Dockerfile"}], "problems": [], "expected": {"dockerfile": "Dockerfile"}}
}

test_pass_unparsable_dockerfile_is_reported_elsewhere if {
	count(dockerfile_present.deny) == 0 with input as {"dockerfiles": [], "problems": [{"file": "Dockerfile", "line": 1, "message": "x"}], "expected": {"dockerfile": "Dockerfile"}}
}
