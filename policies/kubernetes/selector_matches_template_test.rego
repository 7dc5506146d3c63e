package labcheck.kubernetes.selector_matches_template_test

import data.labcheck.kubernetes.selector_matches_template as rule
import data.labcheck.test.k8s

test_fail_labels_differ if {
	sts := k8s.with_lines(k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/template/metadata/labels", "value": {"app": "object-store"}}]), {"spec.selector": 14})
	some f in rule.deny with input as k8s.submission([sts])
	f.line == 14
	f.msg == "StatefulSet minio: spec.selector (app=minio) does not match its pod template's labels (app=object-store); the API server rejects it"
}

test_fail_expression if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/selector", "value": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]}}])
	some f in rule.deny with input as k8s.submission([sts])
	contains(f.msg, `spec.selector (app In ["web"])`)
}

test_fail_empty_selector if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/selector", "value": {}}])
	some f in rule.deny with input as k8s.submission([sts])
	contains(f.msg, "spec.selector (empty)")
}

test_pass_subset if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/template/metadata/labels", "value": {"app": "minio", "tier": "storage"}}])
	count(rule.deny) == 0 with input as k8s.submission([sts])
}

test_pass_expressions if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/selector", "value": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["minio"]}, {"key": "tier", "operator": "DoesNotExist"}]}}])
	count(rule.deny) == 0 with input as k8s.submission([sts])
}
