# METADATA
# title: COPY, not ADD, for local files
# description: >-
#   ADD also fetches URLs and unpacks archives, so `ADD app /app` hides
#   behaviour a reader does not expect. COPY does exactly one thing. ADD stays
#   fine for extracting a local tar archive or fetching a checksummed URL.
# custom:
#   id: DOCKER-012
#   name: copy-not-add
#   lab: docker
#   severity: warning
#   remediation: Replace `ADD <src> <dest>` with `COPY <src> <dest>`.
#   related: [hadolint DL3020, Trivy DS-0005, Checkov CKV_DOCKER_4]
#   examples:
#     fail: |
#       FROM alpine:3.20
#       ADD app.py /app/
#       USER 65532
#     pass: |
#       FROM alpine:3.20
#       COPY app.py /app/
#       USER 65532
package labcheck.docker.copy_not_add

deny contains {"msg": msg, "file": df.file, "line": ins.line} if {
	some df in input.dockerfiles
	some s in df.stages
	some ins in s.instructions
	ins.cmd == "add"
	count(ins.args) > 1
	sources := array.slice(ins.args, 0, count(ins.args) - 1)
	local := [src | some src in sources; not remote(src); not archive(src)]
	count(local) > 0
	msg := sprintf("ADD %s copies local files; use COPY", [concat(" ", local)])
}

remote(src) if regex.match(`^(https?|git)://|^git@|\.git(#.*)?$`, src)

archive(src) if regex.match(`\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst)$`, lower(src))
