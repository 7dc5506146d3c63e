# METADATA
# title: WORKDIR is an absolute path
# description: >-
#   A relative WORKDIR is resolved against whatever the previous WORKDIR (or
#   the base image's) was, so the same Dockerfile lands files in different
#   places as base images change.
# custom:
#   id: DOCKER-015
#   name: absolute-workdir
#   lab: docker
#   severity: warning
#   remediation: Use an absolute path, e.g. `WORKDIR /app`.
#   related: [hadolint DL3000]
#   examples:
#     fail: |
#       FROM alpine:3.20
#       WORKDIR app
#       USER 65532
#     pass: |
#       FROM alpine:3.20
#       WORKDIR /app
#       USER 65532
package labcheck.docker.absolute_workdir

deny contains {"msg": msg, "file": df.file, "line": ins.line} if {
	some df in input.dockerfiles
	some s in df.stages
	some ins in s.instructions
	ins.cmd == "workdir"
	dir := ins.args[0]
	not startswith(dir, "/")
	not startswith(dir, "$")
	not regex.match(`^[A-Za-z]:[\\/]`, dir)
	msg := sprintf("WORKDIR %s is relative; use an absolute path such as /%s", [dir, trim_left(dir, "./")])
}
