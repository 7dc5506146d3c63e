# METADATA
# title: The final stage runs as a non-root user
# description: >-
#   A container that runs as root turns any bug in the application into root
#   inside the container and one kernel bug away from the host. The image
#   must end with a `USER` that is not root. A Dockerfile with no USER at all
#   runs as root, and that is a failure too, not silence.
# custom:
#   id: DOCKER-007
#   name: non-root-user
#   lab: docker
#   severity: error
#   remediation: Create an unprivileged user in the final stage (or use a distroless/nonroot base) and end with `USER 65532:65532` or `USER app`.
#   related: [hadolint DL3002, Trivy DS-0002, Checkov CKV_DOCKER_3, Checkov CKV_DOCKER_8]
#   examples:
#     fail: |
#       FROM alpine:3.20 AS build
#       FROM alpine:3.20
#       COPY --from=build /etc/hostname /x
#       CMD ["/x"]
#     pass: |
#       FROM alpine:3.20 AS build
#       FROM alpine:3.20
#       COPY --from=build /etc/hostname /x
#       USER 65532:65532
#       CMD ["/x"]
package labcheck.docker.non_root_user

import data.labcheck.lib.docker

deny contains {"msg": msg, "file": df.file, "line": last.line} if {
	some df in input.dockerfiles
	count(df.stages) > 0
	last := docker.final_stage(df)
	not effective_user(df, last.index)
	msg := sprintf("final stage (FROM %s) sets no USER, so the container runs as root; add a non-root USER", [last.base.raw])
}

deny contains {"msg": msg, "file": df.file, "line": u.line} if {
	some df in input.dockerfiles
	count(df.stages) > 0
	last := docker.final_stage(df)
	u := effective_user(df, last.index)
	root(u.args[0])
	msg := sprintf("final stage runs as root (USER %s at line %d); switch to a non-root user", [u.args[0], u.line])
}

# effective_user is the last USER of a stage or, when it has none, of the
# nearest earlier stage it builds on (FROM <stage>), which it inherits.
effective_user(df, i) := u if {
	chain := graph.reachable({s.index: parents(df, s) | some s in df.stages}, {i})
	with_user := [j | some j in chain; has_user(df.stages[j])]
	count(with_user) > 0
	users := [ins | some ins in df.stages[max(with_user)].instructions; ins.cmd == "user"]
	u := users[count(users) - 1]
}

parents(df, s) := {p |
	s.base.stage
	p := docker.stage_names(df)[s.base.image]
	p < s.index
}

has_user(s) if {
	some ins in s.instructions
	ins.cmd == "user"
}

root(user) if split(user, ":")[0] in {"root", "0"}
