# METADATA
# title: A .dockerignore sits beside the Dockerfile
# description: >-
#   Without a .dockerignore the whole folder (.git, build output, local
#   secrets such as .env) is sent to the builder, slowing every build and
#   risking `COPY . .` baking secrets into a layer.
# custom:
#   id: DOCKER-008
#   name: dockerignore-present
#   lab: docker
#   severity: error
#   remediation: Add a .dockerignore next to the Dockerfile listing at least .git, build output and local environment files.
#   examples:
#     fail:
#       Dockerfile: |
#         FROM alpine:3.20
#         USER 65532
#     pass:
#       Dockerfile: |
#         FROM alpine:3.20
#         USER 65532
#       .dockerignore: |
#         .git
#         .env
package labcheck.docker.dockerignore_present

deny contains {"msg": msg, "file": df.dockerignore.dir, "line": 0} if {
	some df in input.dockerfiles
	not df.dockerignore.present
	msg := sprintf("no .dockerignore beside %s: the whole folder is sent as build context", [df.file])
}
