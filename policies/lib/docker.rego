# METADATA
# description: Shared helpers for the Docker lab's policies.
package labcheck.lib.docker

# final_stage is the last stage of a parsed Dockerfile.
final_stage(df) := df.stages[count(df.stages) - 1]

# stage_names maps each named stage to its index.
stage_names(df) := {s.name: s.index | some s in df.stages; s.name != ""}

# run_script is the shell text a RUN instruction executes: its arguments and
# the bodies of its heredocs.
run_script(ins) := concat("\n", array.concat(ins.args, [h.content | some h in ins.heredocs]))

# commands splits a shell script into simple commands at ;, && and ||, pipes
# and new lines, so that a flag is judged against the command it belongs to.
commands(script) := [trim_space(c) |
	some c in regex.split(`\|\||&&|[;|\n]`, replace(script, "\\\n", " "))
	trim_space(c) != ""
]

# flag returns the value of a --name=value flag, or "" for a bare --name.
flag(ins, name) := v if {
	some f in ins.flags
	startswith(f, sprintf("--%s=", [name]))
	v := substring(f, count(name) + 3, -1)
}

has_flag(ins, name) if flag(ins, name)

has_flag(ins, name) if {
	some f in ins.flags
	f == sprintf("--%s", [name])
}

# stage_label names a stage for messages: its alias or its position.
stage_label(s) := sprintf("stage '%s'", [s.name]) if s.name != ""

stage_label(s) := sprintf("stage %d", [s.index]) if s.name == ""
