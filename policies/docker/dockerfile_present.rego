# METADATA
# title: The lab has a Dockerfile
# description: >-
#   Lab 1 is graded on a Dockerfile. Without one there is nothing to build,
#   and every other Docker check would pass for want of anything to judge.
# custom:
#   id: DOCKER-020
#   name: dockerfile-present
#   lab: docker
#   severity: error
#   remediation: Add labs/docker/Dockerfile (or map your Dockerfile's path to the docker lab in .labcheck.yaml).
#   examples:
#     fail: {}
#     pass: |
#       FROM alpine:3.20
package labcheck.docker.dockerfile_present

deny contains {"msg": msg, "file": input.expected.dir, "line": 0} if {
	count(input.dockerfiles) == 0
	count(input.problems) == 0
	msg := sprintf("no Dockerfile found; expected %s", [input.expected.dockerfile])
}
