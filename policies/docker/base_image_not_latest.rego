# METADATA
# title: Base images are not tagged latest
# description: >-
#   `latest` is a moving pointer, not a version: the image a build starts from
#   changes under the student's feet, and a rebuild can break without any
#   change to the Dockerfile.
# custom:
#   id: DOCKER-002
#   name: base-image-not-latest
#   lab: docker
#   severity: error
#   remediation: Replace `latest` with a version tag such as `alpine:3.20`, or pin a digest.
#   related: [hadolint DL3007, Trivy DS-0001, kube-linter latest-tag]
#   examples:
#     fail: |
#       FROM alpine:latest
#       USER 65532
#     pass: |
#       FROM alpine:3.20
#       USER 65532
package labcheck.docker.base_image_not_latest

import data.labcheck.lib.docker

deny contains {"msg": msg, "file": df.file, "line": s.line} if {
	some df in input.dockerfiles
	some s in df.stages
	s.base.tag == "latest"
	s.base.digest == ""
	where := position(df, s)
	msg := sprintf("%s FROM %s uses the mutable tag 'latest'; pin a version such as %s:<version>", [where, s.base.raw, s.base.image])
}

position(df, s) := "final stage" if s.index == count(df.stages) - 1

position(df, s) := docker.stage_label(s) if s.index != count(df.stages) - 1
