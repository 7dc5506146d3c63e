package labcheck.docker.build_script_test

import data.labcheck.docker.build_script

lab(lines) := {
	"dockerfiles": [{"file": "labs/docker/Dockerfile"}],
	"build_scripts": [{"file": "labs/docker/build.sh", "lines": [{"line": i + 1, "text": t} | some i, t in lines]}],
	"expected": {"build_script": "labs/docker/build.sh"},
}

test_fail_missing_script if {
	some f in build_script.deny with input as {"dockerfiles": [{"file": "D"}], "build_scripts": [], "expected": {"build_script": "labs/docker/build.sh", "dir": "labs/docker"}}
	f.file == "labs/docker"
	f.line == 0
	f.line == 0
}

test_fail_no_docker_build if {
	some f in build_script.deny with input as lab(["#!/bin/sh", "echo hi"])
	f.msg == "labs/docker/build.sh never runs docker build"
}

test_fail_untagged if {
	some f in build_script.deny with input as lab(["#!/bin/sh", "docker build ."])
	f.line == 2
	contains(f.msg, "gives the image no tag")
}

test_fail_latest if {
	some f in build_script.deny with input as lab(["docker build -t minio-app:latest ."])
	contains(f.msg, "tags the image minio-app:latest")
}

test_fail_name_without_tag if {
	some f in build_script.deny with input as lab(["docker build --tag=registry.local:5000/app ."])
	contains(f.msg, "registry.local:5000/app")
}

test_pass_pinned if {
	count(build_script.deny) == 0 with input as lab(["#!/bin/sh", "# docker build -t x .", "docker buildx build --tag minio-app:1.2.0 ."])
}

test_pass_variable_version if {
	count(build_script.deny) == 0 with input as lab(["docker build -t \"minio-app:${VERSION}\" ."])
}
