package labcheck.docker.base_image_not_latest_test

import data.labcheck.docker.base_image_not_latest

df(tag, digest) := {"file": "Dockerfile", "stages": [
	{"index": 0, "name": "build", "line": 1, "base": {"raw": "golang:1.22", "image": "golang", "tag": "1.22", "digest": ""}},
	{"index": 1, "name": "", "line": 5, "base": {"raw": sprintf("alpine:%s", [tag]), "image": "alpine", "tag": tag, "digest": digest}},
]}

test_fail_final_latest if {
	some f in base_image_not_latest.deny with input as {"dockerfiles": [df("latest", "")]}
	f.line == 5
	startswith(f.msg, "final stage FROM alpine:latest uses the mutable tag 'latest'")
}

test_pass_versioned if {
	count(base_image_not_latest.deny) == 0 with input as {"dockerfiles": [df("3.20", "")]}
}

test_pass_latest_with_digest if {
	count(base_image_not_latest.deny) == 0 with input as {"dockerfiles": [df("latest", "sha256:0123")]}
}
