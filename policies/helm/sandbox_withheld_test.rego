package labcheck.helm.sandbox_withheld_test

import data.labcheck.helm.sandbox_withheld
import data.labcheck.test.helm

test_fail_lookup if {
	w := {"file": "labs/helm/minio/templates/secret.yaml", "line": 6, "message": "lookup has no cluster to ask in labcheck (nor under helm template): it returns an empty map"}
	sub := object.union(helm.passing, {"withheld": [w]})
	sandbox_withheld.deny == {{"msg": w.message, "file": w.file, "line": 6}} with input as sub
}

test_pass_nothing_withheld if {
	count(sandbox_withheld.deny) == 0 with input as helm.passing
}
