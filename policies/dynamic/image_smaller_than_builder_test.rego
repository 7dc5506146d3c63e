package labcheck.dynamic.image_smaller_than_builder_test

import data.labcheck.dynamic.image_smaller_than_builder

finding := {"rule": "DYN-003", "lab": "docker", "msg": "final image 230.1 MiB, builder stage \"build\" 228.4 MiB (101%): the final image is not smaller than the stage that builds it", "file": "labs/docker/Dockerfile", "line": 5}

test_fail_reported_at_its_line if {
	some f in image_smaller_than_builder.deny with input as {"findings": [finding]}
	f.file == "labs/docker/Dockerfile"
	f.line == 5
	startswith(f.msg, "final image 230.1 MiB, builder stage \"bu")
}

test_fail_severity_override if {
	some f in image_smaller_than_builder.deny with input as {"findings": [object.union(finding, {"severity": "info"})]}
	f.severity == "info"
}

test_pass_nothing_reported if {
	count(image_smaller_than_builder.deny) == 0 with input as {"findings": []}
}

test_pass_other_rules_ignored if {
	count(image_smaller_than_builder.deny) == 0 with input as {"findings": [object.union(finding, {"rule": "DYN-999"})]}
}
