# A policy in conftest's classic (Rego v0) style, over conftest's
# Dockerfile input: an array of {Cmd, Flags, Value, Stage} commands.
package main

denylist := ["latest"]

deny[msg] {
	input[i].Cmd == "from"
	val := input[i].Value
	contains(val[0], denylist[_])
	msg := sprintf("unpinned base image %s", [val[0]])
}

warn[msg] {
	input[i].Cmd == "run"
	val := concat(" ", input[i].Value)
	contains(val, "curl")
	msg := sprintf("avoid curl in RUN: %s", [val])
}
