package labcheck.kubernetes.credentials_from_secret_test

import data.labcheck.kubernetes.credentials_from_secret as rule
import data.labcheck.test.k8s

env_path := "/spec/template/spec/containers/0/env"

test_fail_literal_password if {
	sts := k8s.with_lines(
		k8s.patch(k8s.statefulset, [{"op": "replace", "path": concat("", [env_path, "/1"]), "value": {"name": "MINIO_ROOT_PASSWORD", "value": "supersecret"}}]),
		{"spec.template.spec.containers[0].env[1]": 52},
	)
	some f in rule.deny with input as k8s.submission([sts])
	f.line == 52
	f.msg == "StatefulSet minio: container minio sets MINIO_ROOT_PASSWORD to a literal value in the manifest; move it into a Secret and read it with valueFrom.secretKeyRef"
}

test_fail_literal_secret_key if {
	sts := k8s.patch(k8s.statefulset, [{"op": "add", "path": concat("", [env_path, "/-"]), "value": {"name": "MINIO_SECRET_KEY", "value": "x"}}])
	some f in rule.deny with input as k8s.submission([sts])
	contains(f.msg, "sets MINIO_SECRET_KEY to a literal value")
}

test_fail_from_config_map if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": concat("", [env_path, "/1/valueFrom"]), "value": {"configMapKeyRef": {"name": "settings", "key": "pw"}}}])
	some f in rule.deny with input as k8s.submission([sts])
	contains(f.msg, "reads MINIO_ROOT_PASSWORD from ConfigMap settings, which is not secret")
}

test_fail_missing_key if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": concat("", [env_path, "/1/valueFrom/secretKeyRef/key"]), "value": "password"}])
	some f in rule.deny with input as k8s.submission([sts])
	f.msg == "StatefulSet minio: container minio reads key password of Secret minio-credentials, which has no such key (it has rootPassword, rootUser); the pod cannot start (CreateContainerConfigError)"
}

test_fail_secret_not_submitted_is_a_warning if {
	some f in rule.deny with input as k8s.submission([k8s.without(k8s.secret)])
	f.severity == "warning"
	contains(f.msg, "reads MINIO_ROOT_USER from Secret minio-credentials, which is not in the submission")
}

test_fail_no_password if {
	sts := k8s.patch(k8s.statefulset, [{"op": "remove", "path": env_path}])
	some f in rule.deny with input as k8s.submission([sts])
	contains(f.msg, "sets no MINIO_ROOT_PASSWORD, so MinIO starts with the well-known minioadmin:minioadmin")
}

test_pass_secret_key_refs if {
	count(rule.deny) == 0 with input as k8s.passing
}

test_pass_env_from_secret if {
	sts := k8s.patch(k8s.statefulset, [
		{"op": "remove", "path": env_path},
		{"op": "add", "path": "/spec/template/spec/containers/0/envFrom", "value": [{"secretRef": {"name": "minio-env"}}]},
	])
	secret := k8s.obj("s.yaml", 1, "v1", "Secret", "minio-env", {"metadata": {"namespace": "minio"}, "data": {"MINIO_ROOT_USER": "YQ==", "MINIO_ROOT_PASSWORD": "Yg=="}})
	count(rule.deny) == 0 with input as k8s.submission([sts, secret])
}

test_pass_flag_value if {
	sts := k8s.patch(k8s.statefulset, [{"op": "add", "path": concat("", [env_path, "/-"]), "value": {"name": "ALLOW_EMPTY_PASSWORD", "value": "no"}}])
	count(rule.deny) == 0 with input as k8s.submission([sts])
}

test_pass_file_variable if {
	sts := k8s.patch(k8s.statefulset, [{"op": "add", "path": concat("", [env_path, "/-"]), "value": {"name": "MINIO_KMS_SECRET_KEY_FILE", "value": "/run/secrets/kms"}}])
	count(rule.deny) == 0 with input as k8s.submission([sts])
}
