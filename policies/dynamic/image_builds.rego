# METADATA
# title: The Dockerfile builds
# description: >-
#   labcheck verify builds the Dockerfile with its folder as context
#   (honouring .dockerignore), as `docker build` would. A Dockerfile that
#   lints clean can still fail to build: a COPY of a file the .dockerignore
#   excludes, a RUN that fails, a base image that does not exist. The finding
#   names the failing step, its line and the build's last lines of output.
# custom:
#   id: DYN-001
#   name: image-builds
#   lab: docker
#   severity: error
#   remediation: >-
#     Run the build yourself (`docker build labs/docker`), fix the step the
#     finding names, and check that .dockerignore does not exclude what COPY
#     needs.
#   related: [docker build]
#   examples:
#     fail: |
#       FROM golang:1.23-alpine AS build
#       WORKDIR /src
#       COPY . .
#       RUN go build -o /out/app ./does-not-exist
#       FROM alpine:3.20
#       COPY --from=build /out/app /usr/local/bin/app
#       USER 10001
#       ENTRYPOINT ["/usr/local/bin/app"]
#     pass: |
#       FROM golang:1.23-alpine AS build
#       WORKDIR /src
#       COPY . .
#       RUN CGO_ENABLED=0 go build -o /out/app .
#       FROM alpine:3.20
#       COPY --from=build /out/app /usr/local/bin/app
#       USER 10001
#       ENTRYPOINT ["/usr/local/bin/app"]
package labcheck.dynamic.image_builds

# Raised only by `labcheck verify`: the dynamic phase reports what it
# found in input.findings; this rule keeps those with its id.
deny contains object.filter(f, {"msg", "file", "line", "severity"}) if {
	some f in input.findings
	f.rule == "DYN-001"
}
