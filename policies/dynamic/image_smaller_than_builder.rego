# METADATA
# title: The final image is smaller than its builder stage
# description: >-
#   The point of a multi-stage build is to ship the artifact without the
#   toolchain that built it. labcheck verify builds the final image and the
#   stage it copies from and compares their sizes; a final image as large as
#   its builder ships the toolchain after all.
# custom:
#   id: DYN-003
#   name: image-smaller-than-builder
#   lab: docker
#   severity: warning
#   remediation: >-
#     Base the final stage on a small image (alpine, distroless, scratch) and
#     `COPY --from=<builder>` only the built artifact.
#   examples:
#     fail: |
#       FROM golang:1.23-alpine AS build
#       WORKDIR /src
#       COPY . .
#       RUN go build -o /out/app .
#       FROM golang:1.23-alpine
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
package labcheck.dynamic.image_smaller_than_builder

# Raised only by `labcheck verify`: the dynamic phase reports what it
# found in input.findings; this rule keeps those with its id.
deny contains object.filter(f, {"msg", "file", "line", "severity"}) if {
	some f in input.findings
	f.rule == "DYN-003"
}
