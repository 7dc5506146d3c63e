# METADATA
# title: The build has at least two stages
# description: >-
#   A multi-stage build compiles in a full toolchain image and ships only the
#   result in a small runtime image: compilers, package caches and sources
#   stay out of what runs in production.
# custom:
#   id: DOCKER-004
#   name: multi-stage-build
#   lab: docker
#   severity: error
#   remediation: Split the Dockerfile into a build stage (`FROM golang:1.22 AS build`) and a runtime stage that copies the binary with `COPY --from=build`.
#   examples:
#     fail: |
#       FROM golang:1.22
#       COPY . .
#       RUN go build -o /app .
#       USER 65532
#       CMD ["/app"]
#     pass: |
#       FROM golang:1.22 AS build
#       COPY . .
#       RUN go build -o /app .
#       FROM alpine:3.20
#       COPY --from=build /app /app
#       USER 65532
#       CMD ["/app"]
package labcheck.docker.multi_stage

deny contains {"msg": msg, "file": df.file, "line": df.stages[0].line} if {
	some df in input.dockerfiles
	count(df.stages) == 1
	msg := sprintf("only one stage (FROM %s): the image ships its build toolchain; add a build stage and a slim runtime stage", [df.stages[0].base.raw])
}
