package labcheck.dynamic.image_runs_non_root_test

import data.labcheck.dynamic.image_runs_non_root

finding := {"rule": "DYN-002", "lab": "docker", "msg": "the container's process \"/usr/local/bin/app\" runs as uid 0 (root); the image's USER is \"root\"", "file": "labs/docker/Dockerfile", "line": 3}

test_fail_reported_at_its_line if {
	some f in image_runs_non_root.deny with input as {"findings": [finding]}
	f.file == "labs/docker/Dockerfile"
	f.line == 3
	startswith(f.msg, "the container's process \"/usr/local/bin/")
}

test_fail_severity_override if {
	some f in image_runs_non_root.deny with input as {"findings": [object.union(finding, {"severity": "info"})]}
	f.severity == "info"
}

test_pass_nothing_reported if {
	count(image_runs_non_root.deny) == 0 with input as {"findings": []}
}

test_pass_other_rules_ignored if {
	count(image_runs_non_root.deny) == 0 with input as {"findings": [object.union(finding, {"rule": "DYN-999"})]}
}
