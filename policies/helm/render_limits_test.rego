package labcheck.helm.render_limits_test

import data.labcheck.helm.render_limits
import data.labcheck.test.helm

test_fail_time_limit if {
	limit := {"file": "labs/helm/minio/templates/loop.yaml", "line": 3, "message": "rendering with values.yaml did not finish within 2s; this loop is the likely cause; the render was abandoned"}
	sub := object.union(helm.passing, {"limits": [limit]})
	render_limits.deny == {{"msg": limit.message, "file": limit.file, "line": 3}} with input as sub
}

test_pass_within_limits if {
	count(render_limits.deny) == 0 with input as helm.passing
}
