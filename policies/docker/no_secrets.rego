# METADATA
# title: No secrets in ENV or ARG
# description: >-
#   ENV values are stored in the image config and ARG values in its history:
#   anyone who can pull the image can read them with `docker history` or
#   `docker inspect`. Secrets belong in build secrets (`RUN --mount=type=secret`)
#   or in the runtime environment (a Kubernetes Secret).
# custom:
#   id: DOCKER-014
#   name: no-secrets-in-env-arg
#   lab: docker
#   severity: error
#   remediation: Remove the value; pass it at run time (`docker run -e`, a Kubernetes Secret) or at build time with `RUN --mount=type=secret,id=…`.
#   related: [Trivy DS-0031, hadolint DL3044]
#   examples:
#     fail: |
#       FROM alpine:3.20
#       ENV MINIO_ROOT_PASSWORD=minio123
#       USER 65532
#     pass: |
#       FROM alpine:3.20
#       ENV MINIO_VOLUMES=/data
#       USER 65532
package labcheck.docker.no_secrets

import data.labcheck.lib.secrets

deny contains {"msg": msg, "file": df.file, "line": ins.line} if {
	some df in input.dockerfiles
	some s in df.stages
	some ins in s.instructions
	ins.cmd in {"env", "arg"}
	some kv in ins.pairs
	secrets.secret_name(kv.key)
	secrets.credential(kv.value)
	msg := sprintf("%s %s sets a secret-looking value that stays readable in the image; pass it at run time or as a build secret", [upper(ins.cmd), kv.key])
}
