# METADATA
# title: The final stage takes its artifact from an earlier stage
# description: >-
#   Two FROM lines are not yet a multi-stage build. The point is that the
#   runtime image receives the built artifact with `COPY --from=<stage>` and
#   nothing else of the build.
# custom:
#   id: DOCKER-005
#   name: final-stage-copies-artifact
#   lab: docker
#   severity: error
#   remediation: In the last stage, copy the built artifact from the build stage, e.g. `COPY --from=build /out/app /usr/local/bin/app`.
#   examples:
#     fail: |
#       FROM golang:1.22 AS build
#       RUN go build -o /app .
#       FROM alpine:3.20
#       COPY . /src
#       USER 65532
#     pass: |
#       FROM golang:1.22 AS build
#       RUN go build -o /app .
#       FROM alpine:3.20
#       COPY --from=build /app /app
#       USER 65532
package labcheck.docker.final_stage_copies_artifact

import data.labcheck.lib.docker

deny contains {"msg": msg, "file": df.file, "line": last.line} if {
	some df in input.dockerfiles
	count(df.stages) > 1
	last := docker.final_stage(df)
	not copies_from_earlier(df, last)
	msg := sprintf("final stage (FROM %s) has no COPY --from an earlier stage; it does not take its artifact from the build", [last.base.raw])
}

copies_from_earlier(df, last) if {
	some ins in last.instructions
	ins.cmd == "copy"
	from := docker.flag(ins, "from")
	earlier(df, last, from)
}

earlier(df, last, from) if docker.stage_names(df)[from] < last.index

earlier(_, last, from) if to_number(from) < last.index
