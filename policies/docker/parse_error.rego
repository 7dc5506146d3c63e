# METADATA
# title: Dockerfile parses
# description: >-
#   A Dockerfile that BuildKit cannot parse cannot be built, and none of the
#   other Docker checks can judge it. The finding carries the parser's own
#   message and the line it points at.
# custom:
#   id: DOCKER-000
#   name: dockerfile-parse-error
#   lab: docker
#   role: parse-error
#   severity: error
#   remediation: Fix the syntax error at the reported line; `docker build` reports the same error.
#   related: [hadolint DL1000]
#   examples:
#     fail: |
#       FROM alpine:3.20
#       COPY onlyonearg
#     pass: |
#       FROM alpine:3.20
#       COPY app /app
package labcheck.docker.parse_error

deny contains {"msg": e.message, "file": e.file, "line": e.line} if {
	some e in input.problems
}
