package main

import rego.v1

test_service_without_label_is_denied if {
	count(violation) == 1 with input as {"kind": "Service", "metadata": {"name": "minio", "labels": {}}}
}

test_labelled_service_passes if {
	count(violation) == 0 with input as {"kind": "Service", "metadata": {"name": "minio", "labels": {"app.kubernetes.io/part-of": "minio"}}}
}
