# METADATA
# title: apt-get install cleans up its package lists
# description: >-
#   `apt-get update` downloads tens of megabytes of package lists into
#   /var/lib/apt/lists. Unless the same RUN deletes them, they ship in the
#   image.
# custom:
#   id: DOCKER-011
#   name: apt-lists-removed
#   lab: docker
#   severity: warning
#   remediation: End the same RUN with `&& rm -rf /var/lib/apt/lists/*`, and prefer `--no-install-recommends`.
#   related: [hadolint DL3009, hadolint DL3015]
#   examples:
#     fail: |
#       FROM debian:12-slim
#       RUN apt-get update && apt-get install -y curl
#       USER 65532
#     pass: |
#       FROM debian:12-slim
#       RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
#       USER 65532
package labcheck.docker.apt_lists_removed

import data.labcheck.lib.docker

deny contains {"msg": msg, "file": df.file, "line": ins.line} if {
	some df in input.dockerfiles
	some s in df.stages
	some ins in s.instructions
	ins.cmd == "run"
	script := docker.run_script(ins)
	some c in docker.commands(script)
	regex.match(`^(sudo\s+)?([A-Za-z_][A-Za-z0-9_]*=\S*\s+)*apt(-get)?\s+(.*\s)?install(\s|$)`, c)
	not contains(script, "/var/lib/apt/lists")
	not lists_mount(ins)
	msg := sprintf("RUN at line %d installs with apt but does not remove /var/lib/apt/lists/* in the same layer", [ins.line])
}

lists_mount(ins) if {
	some f in ins.flags
	startswith(f, "--mount=")
	contains(f, "/var/lib/apt")
}
