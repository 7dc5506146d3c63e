# METADATA
# title: Consecutive RUN instructions are merged
# description: >-
#   Each RUN makes a layer. Files removed in a later RUN still ship in the
#   earlier layer, and every extra layer costs pull time. Chain related
#   commands with `&&` in one RUN.
# custom:
#   id: DOCKER-009
#   name: consecutive-run
#   lab: docker
#   severity: warning
#   remediation: Merge the RUN instructions into one, joining the commands with `&& \` line continuations.
#   related: [hadolint DL3059]
#   examples:
#     fail: |
#       FROM alpine:3.20
#       RUN apk add --no-cache curl
#       RUN apk add --no-cache git
#       USER 65532
#     pass: |
#       FROM alpine:3.20
#       RUN apk add --no-cache curl git
#       USER 65532
package labcheck.docker.consecutive_run

deny contains {"msg": msg, "file": df.file, "line": cur.line} if {
	some df in input.dockerfiles
	some s in df.stages
	some i, cur in s.instructions
	i > 0
	prev := s.instructions[i - 1]
	prev.cmd == "run"
	cur.cmd == "run"
	not cache_mount(prev)
	not cache_mount(cur)
	msg := sprintf("RUN at line %d follows the RUN at line %d; merge them into one layer", [cur.line, prev.line])
}

# RUNs with their own --mount flags can't always be merged; hadolint exempts them too.
cache_mount(ins) if {
	some f in ins.flags
	startswith(f, "--mount=")
}
