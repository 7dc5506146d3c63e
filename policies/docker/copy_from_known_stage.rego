# METADATA
# title: COPY --from names an earlier stage or an image
# description: >-
#   `COPY --from=biuld` with a typo does not fail as a missing stage: BuildKit
#   tries to pull an image called `biuld`. A stage can only copy from stages
#   defined before it, never from itself.
# custom:
#   id: DOCKER-006
#   name: copy-from-known-stage
#   lab: docker
#   severity: error
#   remediation: Use the exact alias from `FROM … AS <name>` of an earlier stage, or a full image reference such as `nginx:1.27`.
#   related: [hadolint DL3022, hadolint DL3023]
#   examples:
#     fail: |
#       FROM golang:1.22 AS build
#       RUN go build -o /app .
#       FROM alpine:3.20
#       COPY --from=biuld /app /app
#       USER 65532
#     pass: |
#       FROM golang:1.22 AS build
#       RUN go build -o /app .
#       FROM alpine:3.20
#       COPY --from=build /app /app
#       USER 65532
package labcheck.docker.copy_from_known_stage

import data.labcheck.lib.docker

deny contains {"msg": msg, "file": df.file, "line": ins.line} if {
	some df in input.dockerfiles
	some s in df.stages
	some ins in s.instructions
	ins.cmd == "copy"
	from := docker.flag(ins, "from")
	msg := problem(df, s, from)
}

problem(df, s, from) := sprintf("COPY --from=%s copies from its own stage", [from]) if {
	docker.stage_names(df)[from] == s.index
}

problem(df, s, from) := sprintf("COPY --from=%s names stage '%s', which is defined later (line %d)", [from, from, df.stages[i].line]) if {
	i := docker.stage_names(df)[from]
	i > s.index
}

problem(_, s, from) := sprintf("COPY --from=%s names stage index %s, but only stages 0..%d come before it", [from, from, s.index - 1]) if {
	to_number(from) >= s.index
}

problem(df, s, from) := sprintf("COPY --from=%s: no stage is named '%s' (stages: %s) and it is not an image reference", [from, from, known(df)]) if {
	not docker.stage_names(df)[from]
	not regex.match(`^[0-9]+$`, from)
	not regex.match(`[:/@]`, from)
	not contains(from, "$")
}

known(df) := concat(", ", sort([n | some n, _ in docker.stage_names(df)])) if count(docker.stage_names(df)) > 0

known(df) := "none named" if count(docker.stage_names(df)) == 0
