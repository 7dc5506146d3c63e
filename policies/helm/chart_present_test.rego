package labcheck.helm.chart_present_test

import data.labcheck.helm.chart_present
import data.labcheck.test.helm

test_fail_no_chart if {
	some f in chart_present.deny with input as helm.submission([])
	f.file == "labs/helm"
	f.line == 0
	contains(f.msg, "no Helm chart found")
}

test_pass_chart_present if {
	count(chart_present.deny) == 0 with input as helm.passing
}

test_pass_unreadable_chart_is_reported_elsewhere if {
	sub := object.union(helm.submission([]), {"problems": [{"file": "labs/helm/minio/Chart.yaml", "line": 0, "message": "too large"}]})
	count(chart_present.deny) == 0 with input as sub
}
