# METADATA
# title: CMD and ENTRYPOINT use the exec (JSON) form
# description: >-
#   In shell form the process runs as a child of /bin/sh -c: it is not PID 1,
#   never receives SIGTERM, and the container is killed after the grace period
#   instead of shutting down cleanly. Distroless images have no shell at all.
# custom:
#   id: DOCKER-013
#   name: exec-form-cmd
#   lab: docker
#   severity: warning
#   remediation: Write `CMD ["/app", "--port", "8080"]` instead of `CMD /app --port 8080`.
#   related: [hadolint DL3025]
#   examples:
#     fail: |
#       FROM alpine:3.20
#       USER 65532
#       CMD /app --port 8080
#     pass: |
#       FROM alpine:3.20
#       USER 65532
#       CMD ["/app", "--port", "8080"]
package labcheck.docker.exec_form

import data.labcheck.lib.docker

deny contains {"msg": msg, "file": df.file, "line": ins.line} if {
	some df in input.dockerfiles
	count(df.stages) > 0
	s := docker.final_stage(df)
	some ins in s.instructions
	ins.cmd in {"cmd", "entrypoint"}
	not ins.json
	msg := sprintf("%s %s is in shell form: the process is not PID 1 and misses SIGTERM; use the JSON form", [upper(ins.cmd), concat(" ", ins.args)])
}
