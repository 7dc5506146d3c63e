# The Dockerfile half of the conftest equivalent of a labcheck run, for
# scripts/bench-peers.sh: six of labcheck's Dockerfile rules written the way
# a conftest user would write them.
package main

import rego.v1

instructions := [i | some i in input]

froms := [i | some i in instructions; i.Cmd == "from"]

deny contains msg if {
	some f in froms
	image := f.Value[0]
	not contains(image, ":")
	not contains(image, "@")
	image != "scratch"
	msg := sprintf("base image %s has no tag", [image])
}

deny contains msg if {
	some f in froms
	endswith(f.Value[0], ":latest")
	msg := sprintf("base image %s uses latest", [f.Value[0]])
}

deny contains "the final stage runs as root" if {
	users := [i | some i in instructions; i.Cmd == "user"]
	count(users) == 0
}

deny contains "the final stage runs as root" if {
	users := [i | some i in instructions; i.Cmd == "user"]
	users[count(users) - 1].Value[0] in {"root", "0"}
}

deny contains msg if {
	some i in instructions
	i.Cmd == "add"
	msg := sprintf("use COPY instead of ADD: %v", [i.Value])
}

deny contains "apt-get install without removing /var/lib/apt/lists" if {
	some i in instructions
	i.Cmd == "run"
	run := concat(" ", i.Value)
	contains(run, "apt-get install")
	not contains(run, "rm -rf /var/lib/apt/lists")
}

deny contains msg if {
	some i in instructions
	i.Cmd in {"cmd", "entrypoint"}
	not i.JSON
	msg := sprintf("%s should use the exec form", [i.Cmd])
}
