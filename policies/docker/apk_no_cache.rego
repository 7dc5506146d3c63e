# METADATA
# title: apk add uses --no-cache
# description: >-
#   `apk add` without `--no-cache` leaves the package index in
#   /var/cache/apk, dead weight in the layer.
# custom:
#   id: DOCKER-010
#   name: apk-no-cache
#   lab: docker
#   severity: warning
#   remediation: Use `apk add --no-cache <packages>` (no separate `apk update` needed).
#   related: [hadolint DL3019]
#   examples:
#     fail: |
#       FROM alpine:3.20
#       RUN apk update && apk add curl
#       USER 65532
#     pass: |
#       FROM alpine:3.20
#       RUN apk add --no-cache curl
#       USER 65532
package labcheck.docker.apk_no_cache

import data.labcheck.lib.docker

deny contains {"msg": msg, "file": df.file, "line": ins.line} if {
	some df in input.dockerfiles
	some s in df.stages
	some ins in s.instructions
	ins.cmd == "run"
	not apk_cache_mount(ins)
	some c in docker.commands(docker.run_script(ins))
	regex.match(`^(sudo\s+)?([A-Za-z_][A-Za-z0-9_]*=\S*\s+)*apk\s+(.*\s)?add(\s|$)`, c)
	not regex.match(`(^|\s)--no-cache(\s|$)`, c)
	not offline(c, docker.commands(docker.run_script(ins)))
	msg := sprintf("'%s' keeps the apk index in the layer; add --no-cache", [c])
}

# offline: `apk add --no-network` fetches no index, so it keeps none, unless
# an `apk update` in the same RUN fetched one.
offline(c, cmds) if {
	regex.match(`(^|\s)--no-network(\s|$)`, c)
	not updates(cmds)
}

updates(cmds) if {
	some u in cmds
	regex.match(`(^|\s)apk\s+(.*\s)?update(\s|$)`, u)
}

apk_cache_mount(ins) if {
	some f in ins.flags
	startswith(f, "--mount=")
	contains(f, "/var/cache/apk")
}
