package labcheck.docker.base_image_digest_test

import data.labcheck.docker.base_image_digest

test_fail_tag_only if {
	some f in base_image_digest.deny with input as {"dockerfiles": [{"file": "D", "stages": [{"line": 1, "base": {"raw": "alpine:3.20", "digest": "", "scratch": false, "stage": false}}]}]}
	f.msg == "FROM alpine:3.20 is not pinned by digest"
}

test_pass_digest if {
	count(base_image_digest.deny) == 0 with input as {"dockerfiles": [{"file": "D", "stages": [{"line": 1, "base": {"raw": "alpine@sha256:1", "digest": "sha256:1", "scratch": false, "stage": false}}]}]}
}
