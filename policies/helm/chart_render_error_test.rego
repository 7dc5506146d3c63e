package labcheck.helm.chart_render_error_test

import data.labcheck.helm.chart_render_error
import data.labcheck.test.helm

test_fail_render_error_at_template_line if {
	msg := `the chart does not render with values.yaml: template: minio/templates/statefulset.yaml:4:11: executing "minio/templates/statefulset.yaml" at <include "minio.nope" .>: error calling include: template: no template "minio.nope" associated with template "gotpl"`
	sub := object.union(helm.passing, {"problems": [{"file": "labs/helm/minio/templates/statefulset.yaml", "line": 4, "message": msg}]})
	chart_render_error.deny == {{"msg": msg, "file": "labs/helm/minio/templates/statefulset.yaml", "line": 4}} with input as sub
}

test_pass_chart_renders if {
	count(chart_render_error.deny) == 0 with input as helm.passing
}
