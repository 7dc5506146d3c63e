# METADATA
# title: Base images carry an explicit tag or digest
# description: >-
#   `FROM node` silently means `node:latest`: the build changes whenever the
#   upstream image does, and two students building the same Dockerfile a week
#   apart get different images. Every external base image names a tag or a
#   digest (`scratch` and earlier stages are exempt).
# custom:
#   id: DOCKER-001
#   name: base-image-tagged
#   lab: docker
#   severity: error
#   remediation: Name a version, e.g. `FROM golang:1.22-alpine AS build`; resolve ARGs used in FROM with a default value.
#   related: [hadolint DL3006, Checkov CKV_DOCKER_7]
#   examples:
#     fail: |
#       FROM alpine
#       USER 65532
#     pass: |
#       FROM alpine:3.20
#       USER 65532
package labcheck.docker.base_image_tagged

deny contains {"msg": msg, "file": df.file, "line": s.line} if {
	some df in input.dockerfiles
	some s in df.stages
	b := s.base
	not b.scratch
	not b.stage
	b.tag == ""
	b.digest == ""
	msg := sprintf("%s: FROM %s has no tag or digest, so it means %s:latest; pin a version", [label(s), b.raw, b.image])
}

label(s) := data.labcheck.lib.docker.stage_label(s)
