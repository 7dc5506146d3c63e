package labcheck.docker.dockerignore_present_test

import data.labcheck.docker.dockerignore_present

test_fail_missing if {
	some f in dockerignore_present.deny with input as {"dockerfiles": [{"file": "lab/Dockerfile", "dockerignore": {"present": false, "file": "lab/.dockerignore", "dir": "lab"}}]}
	f.file == "lab"
	f.line == 0
	f.line == 0
}

test_pass_present if {
	count(dockerignore_present.deny) == 0 with input as {"dockerfiles": [{"file": "lab/Dockerfile", "dockerignore": {"present": true, "file": "lab/.dockerignore"}}]}
}
