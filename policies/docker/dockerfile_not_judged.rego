# METADATA
# title: Which Dockerfile is graded, when a folder holds several
# description: >-
#   A folder may hold more than one Dockerfile (Dockerfile and
#   Dockerfile.dev, say). The lab's image is the one that is built: the one
#   build.sh names with -f, else the Dockerfile that `docker build` reads by
#   default. The others are not graded; this note says which file was, so
#   that a student who meant another one can tell.
# custom:
#   id: DOCKER-021
#   name: dockerfile-not-judged
#   lab: docker
#   severity: info
#   remediation: >-
#     Nothing to do if the graded file is the lab's image. Otherwise name the
#     right one in build.sh (`docker build -f Dockerfile.release …`), or
#     remove the Dockerfile that is not part of the lab.
#   examples:
#     fail:
#       Dockerfile: |
#         FROM alpine:3.20
#         USER 65532
#       Dockerfile.dev: |
#         FROM alpine:3.20
#     pass:
#       Dockerfile: |
#         FROM alpine:3.20
#         USER 65532
package labcheck.docker.dockerfile_not_judged

deny contains {"msg": msg, "file": n.file, "line": 0} if {
	some n in object.get(input, "not_judged", [])
	msg := sprintf("%s is not graded: %s is the lab's Dockerfile (%s)", [n.file, concat(", ", n.judged), n.why])
}
