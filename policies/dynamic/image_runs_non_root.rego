# METADATA
# title: The image runs as a non-root uid
# description: >-
#   The static check reads the USER instruction; this one runs the image (no
#   network, no capabilities, no host environment) and reads the uid of its
#   processes as the engine sees them. A USER naming a user the base image
#   maps to 0, or an entrypoint that switches back to root, only shows at run
#   time.
# custom:
#   id: DYN-002
#   name: image-runs-non-root
#   lab: docker
#   severity: error
#   remediation: >-
#     End the final stage with `USER <uid>:<gid>` of an unprivileged user
#     (for example 10001:10001) and make sure the program does not need root
#     to start.
#   related: [hadolint DL3002, Trivy DS-0002, kube-linter run-as-non-root]
#   examples:
#     fail: |
#       FROM alpine:3.20
#       COPY app /usr/local/bin/app
#       USER root
#       ENTRYPOINT ["/usr/local/bin/app"]
#     pass: |
#       FROM alpine:3.20
#       COPY app /usr/local/bin/app
#       USER 10001:10001
#       ENTRYPOINT ["/usr/local/bin/app"]
package labcheck.dynamic.image_runs_non_root

# Raised only by `labcheck verify`: the dynamic phase reports what it
# found in input.findings; this rule keeps those with its id.
deny contains object.filter(f, {"msg", "file", "line", "severity"}) if {
	some f in input.findings
	f.rule == "DYN-002"
}
