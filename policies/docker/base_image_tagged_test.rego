package labcheck.docker.base_image_tagged_test

import data.labcheck.docker.base_image_tagged

stage(base) := {"index": 0, "name": "", "line": 1, "base": base, "instructions": []}

test_fail_untagged if {
	some f in base_image_tagged.deny with input as {"dockerfiles": [{"file": "Dockerfile", "stages": [stage({"raw": "alpine", "image": "alpine", "tag": "", "digest": "", "scratch": false, "stage": false})]}]}
	contains(f.msg, "FROM alpine has no tag")
	f.line == 1
}

test_pass_tagged if {
	count(base_image_tagged.deny) == 0 with input as {"dockerfiles": [{"file": "Dockerfile", "stages": [stage({"raw": "alpine:3.20", "image": "alpine", "tag": "3.20", "digest": "", "scratch": false, "stage": false})]}]}
}

test_pass_scratch_and_stage_refs if {
	count(base_image_tagged.deny) == 0 with input as {"dockerfiles": [{"file": "Dockerfile", "stages": [
		stage({"raw": "scratch", "image": "scratch", "tag": "", "digest": "", "scratch": true, "stage": false}),
		stage({"raw": "build", "image": "build", "tag": "", "digest": "", "scratch": false, "stage": true}),
	]}]}
}

test_pass_digest_only if {
	count(base_image_tagged.deny) == 0 with input as {"dockerfiles": [{"file": "Dockerfile", "stages": [stage({"raw": "alpine@sha256:ab", "image": "alpine", "tag": "", "digest": "sha256:ab", "scratch": false, "stage": false})]}]}
}
