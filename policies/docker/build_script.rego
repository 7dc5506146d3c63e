# METADATA
# title: build.sh builds the image with a pinned tag
# description: >-
#   The lab hands in a build script so the image can be rebuilt the same way.
#   It must run `docker build` (or `docker buildx build`) and tag the image
#   with a version, not `latest` or no tag at all, so a deployment can name
#   exactly this build.
# custom:
#   id: DOCKER-016
#   name: build-script-pinned-tag
#   lab: docker
#   severity: warning
#   remediation: Add build.sh beside the Dockerfile with e.g. `docker build -t minio-app:1.0.0 .` (a version variable such as `:${VERSION}` works too).
#   examples:
#     fail:
#       Dockerfile: |
#         FROM alpine:3.20
#         USER 65532
#       build.sh: |
#         #!/bin/sh
#         docker build -t myapp .
#     pass:
#       Dockerfile: |
#         FROM alpine:3.20
#         USER 65532
#       build.sh: |
#         #!/bin/sh
#         set -eu
#         docker build -t myapp:1.0.0 .
package labcheck.docker.build_script

deny contains {"msg": msg, "file": input.expected.dir, "line": 0} if {
	count(input.dockerfiles) > 0
	count(input.build_scripts) == 0
	msg := sprintf("no build script; expected %s running docker build with a pinned tag", [input.expected.build_script])
}

deny contains {"msg": msg, "file": bs.file, "line": 0} if {
	some bs in input.build_scripts
	count(builds(bs)) == 0
	msg := sprintf("%s never runs docker build", [bs.file])
}

deny contains {"msg": msg, "file": bs.file, "line": b.line} if {
	some bs in input.build_scripts
	some b in builds(bs)
	count(tags(b.text)) == 0
	msg := sprintf("'%s' gives the image no tag (-t name:version)", [b.text])
}

deny contains {"msg": msg, "file": bs.file, "line": b.line} if {
	some bs in input.build_scripts
	some b in builds(bs)
	some t in tags(b.text)
	not pinned(t)
	msg := sprintf("'%s' tags the image %s; use a version tag such as %s:1.0.0", [b.text, t, split(t, ":")[0]])
}

builds(bs) := [{"line": l.line, "text": trim_space(l.text)} |
	some l in bs.lines
	not startswith(trim_space(l.text), "#")
	regex.match(`(^|[\s;&|(])(docker|podman)\s+(buildx\s+)?build(\s|$)`, l.text)
]

tags(text) := [t |
	some m in regex.find_all_string_submatch_n(`(?:^|\s)(?:-t|--tag)(?:\s+|=)("?)([^\s"]+)("?)`, text, -1)
	t := m[2]
]

pinned(t) if {
	parts := split(t, ":")
	count(parts) > 1
	last := parts[count(parts) - 1]
	last != "latest"
	not contains(last, "/")
}
