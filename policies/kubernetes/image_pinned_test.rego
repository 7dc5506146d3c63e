package labcheck.kubernetes.image_pinned_test

import data.labcheck.kubernetes.image_pinned as rule
import data.labcheck.test.k8s

with_image(ref) := k8s.with_lines(k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value": ref}]), {"spec.template.spec.containers[0].image": 40})

test_fail_latest if {
	some f in rule.deny with input as k8s.submission([with_image("quay.io/minio/minio:latest")])
	f.line == 40
	f.msg == "StatefulSet minio: container minio image quay.io/minio/minio:latest uses the mutable tag latest; pin a release tag or a digest"
}

test_fail_untagged_with_registry_port if {
	some f in rule.deny with input as k8s.submission([with_image("localhost:5000/minio")])
	contains(f.msg, "image localhost:5000/minio has no tag, so it means latest")
}

test_pass_tagged if {
	count(rule.deny) == 0 with input as k8s.passing
}

test_pass_digest if {
	count(rule.deny) == 0 with input as k8s.submission([with_image("quay.io/minio/minio@sha256:0123456789abcdef")])
}
