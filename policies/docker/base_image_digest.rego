# METADATA
# title: Base images are pinned by digest
# description: >-
#   A tag can be re-pushed; a digest cannot. Pinning `image:tag@sha256:…`
#   makes the build reproducible byte for byte. This is advice, not a
#   requirement of the lab.
# custom:
#   id: DOCKER-003
#   name: base-image-digest-pinned
#   lab: docker
#   severity: info
#   remediation: Append the digest, e.g. `FROM alpine:3.20@sha256:<digest>` (docker buildx imagetools inspect alpine:3.20 shows it).
#   related: [Trivy DS-0001]
#   examples:
#     fail: |
#       FROM alpine:3.20
#       USER 65532
#     pass: |
#       FROM alpine:3.20@sha256:77726ef6b57ddf65bb551896826ec38bc3e53f75cdde31354fbffb4f25238ebd
#       USER 65532
package labcheck.docker.base_image_digest

deny contains {"msg": msg, "file": df.file, "line": s.line} if {
	some df in input.dockerfiles
	some s in df.stages
	not s.base.scratch
	not s.base.stage
	s.base.digest == ""
	msg := sprintf("FROM %s is not pinned by digest", [s.base.raw])
}
