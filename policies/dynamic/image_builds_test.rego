package labcheck.dynamic.image_builds_test

import data.labcheck.dynamic.image_builds

finding := {"rule": "DYN-001", "lab": "docker", "msg": "docker build failed at step 4/8 (line 4: RUN go build -o /out/app ./does-not-exist): The command '/bin/sh -c go build -o /out/app ./does-not-exist' returned a non-zero code: 1", "file": "labs/docker/Dockerfile", "line": 4}

test_fail_reported_at_its_line if {
	some f in image_builds.deny with input as {"findings": [finding]}
	f.file == "labs/docker/Dockerfile"
	f.line == 4
	startswith(f.msg, "docker build failed at step 4/8 (line 4:")
}

test_fail_severity_override if {
	some f in image_builds.deny with input as {"findings": [object.union(finding, {"severity": "info"})]}
	f.severity == "info"
}

test_pass_nothing_reported if {
	count(image_builds.deny) == 0 with input as {"findings": []}
}

test_pass_other_rules_ignored if {
	count(image_builds.deny) == 0 with input as {"findings": [object.union(finding, {"rule": "DYN-999"})]}
}
