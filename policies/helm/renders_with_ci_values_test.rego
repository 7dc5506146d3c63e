package labcheck.helm.renders_with_ci_values_test

import data.labcheck.helm.renders_with_ci_values
import data.labcheck.test.helm

test_fail_ci_values_break_the_chart if {
	p := {"file": "labs/helm/minio/templates/secret.yaml", "line": 12, "message": "the chart does not render with ci/empty-password-values.yaml: execution error at (minio/templates/secret.yaml:12:19): auth.rootPassword must be set"}
	sub := object.union(helm.passing, {"ci_problems": [p]})
	renders_with_ci_values.deny == {{"msg": p.message, "file": p.file, "line": 12}} with input as sub
}

test_pass_ci_values_render if {
	count(renders_with_ci_values.deny) == 0 with input as helm.passing
}
