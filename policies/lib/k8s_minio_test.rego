package labcheck.lib.minio_test

import data.labcheck.lib.k8s
import data.labcheck.lib.minio
import data.labcheck.test.k8s as data_k8s

sts_with(args) := data_k8s.patch(data_k8s.statefulset, [{"op": "replace", "path": "/spec/template/spec/containers/0/args", "value": args}])

test_recognised_by_image if {
	data_k8s.statefulset in minio.workloads with input as data_k8s.passing
}

test_mc_client_is_not_minio if {
	not minio.is_server({"spec": {"image": "quay.io/minio/mc:RELEASE.2025-04-16T18-13-26Z", "args": ["mb", "local/bucket"]}, "path": "x"})
}

test_endpoints if {
	c := minio.container(data_k8s.statefulset)
	eps := minio.endpoints(c)
	count(eps) == 1
	eps[0].host == "minio-{0...3}.minio-headless.minio.svc.cluster.local"
	eps[0].dir == "/data"
	eps[0].path == "spec.template.spec.containers[0].args[1]"
}

test_flag_values_are_not_endpoints if {
	c := minio.container(sts_with(["server", "--certs-dir", "/certs", "/data"]))
	[e.text | some e in minio.endpoints(c)] == ["/data"]
}

test_hosts if {
	minio.hosts("minio-{0...3}.minio-headless.minio.svc.cluster.local") == {"base": "minio", "indexes": [0, 1, 2, 3], "domain": ["minio-headless", "minio", "svc", "cluster", "local"]}
	minio.hosts("minio-2.minio-headless").indexes == [2]
}

test_drives_and_quorum if {
	minio.drives(data_k8s.statefulset) == 4
	minio.parity(data_k8s.statefulset) == 2
	minio.write_quorum(4, 2) == 3
	minio.tolerable_pods(data_k8s.statefulset) == 1
}

test_drives_per_pod if {
	sts := sts_with(["server", "http://minio-{0...3}.minio-headless.minio.svc.cluster.local/data{1...4}"])
	minio.drives(sts) == 16
	minio.parity(sts) == 4
	minio.write_quorum(16, 4) == 12
	minio.tolerable_pods(sts) == 1
}

test_default_parity if {
	[minio.default_parity(n) | some n in [4, 5, 6, 7, 8, 16]] == [2, 2, 3, 3, 4, 4]
	minio.set_size(32) == 16
	minio.set_size(18) == 9
}

test_huge_ellipsis_is_not_expanded if {
	not minio.ellipsis("minio-{0...99999999}.minio-headless")
	not minio.ellipsis("minio-{5...1}.minio-headless")
	minio.ellipsis("minio-{0...1023}.x").hi == 1023
}
