package labcheck.helm.chart_version_semver_test

import data.labcheck.helm.chart_version_semver
import data.labcheck.test.helm

version(v, facts) := helm.with_chart({
	"chart_yaml": helm.replace(helm.chart_yaml, {"object": helm.replace(helm.chart_yaml.object, {"version": v})}),
	"version": facts,
})

test_fail_not_semver if {
	f := {"msg": `Chart.yaml's version "first" is not a SemVer version; Helm refuses to load the chart (use MAJOR.MINOR.PATCH, such as 0.1.0)`, "file": "labs/helm/minio/Chart.yaml", "line": 5}
	chart_version_semver.deny == {f} with input as version("first", {"helm": false, "semver": false})
}

test_fail_shorthand_is_a_warning if {
	some f in chart_version_semver.deny with input as version("1.0", {"helm": true, "semver": false, "why": "is a shorthand", "suggestion": "1.0.0"})
	f.severity == "warning"
}

test_fail_number if {
	some f in chart_version_semver.deny with input as version(1, {"helm": false, "semver": false})
	contains(f.msg, "is a YAML number")
}

test_fail_missing if {
	sub := helm.with_chart_yaml(object.remove(helm.chart_yaml.object, ["version"]), object.remove(helm.chart_yaml.lines, ["version"]))
	some f in chart_version_semver.deny with input as sub
	f.line == 0
}

test_pass_semver if {
	count(chart_version_semver.deny) == 0 with input as helm.passing
}

test_fail_leading_zero_is_named if {
	facts := {"helm": true, "semver": false, "why": "has a leading zero in 04, which SemVer 2 forbids", "suggestion": "2023.4.1"}
	some f in chart_version_semver.deny with input as version("2023.04.1", facts)
	f.severity == "warning"
	contains(f.msg, "leading zero")
	not contains(f.msg, "shorthand")
	contains(f.msg, "write 2023.4.1")
}
