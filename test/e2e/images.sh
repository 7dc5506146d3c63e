#!/usr/bin/env bash
# images.sh: the two local images labcheck verify's offline recipe and its
# e2e test name besides the node and MinIO images (make e2e-env runs it
# after env.sh; seconds when they exist). It builds the first and checks
# that env.sh made the second:
#   labcheck.local/e2e-golang:local  this machine's Go toolchain (static
#       binaries, no shell): a base image Lab 1's builder stage can build from
#       offline (RUN in exec form);
#   labcheck.local/e2e-curl:1 ($CURL_IMAGE)  a few lines of Go answering
#       `curl -fsS URL`: what a chart's test hook runs in place of
#       curlimages/curl.
# Neither is named after a public registry. Needs Docker and go.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

GO_BASE_IMAGE=labcheck.local/e2e-golang:local

docker_ok || start_dockerd >&2 || e2e_die "no Docker engine"
command -v go >/dev/null || e2e_die "no go toolchain on PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! docker image inspect "$GO_BASE_IMAGE" >/dev/null 2>&1; then
	goroot=$(go env GOROOT)
	mkdir -p "$tmp/go/tmp" "$tmp/go/usr/local"
	chmod 1777 "$tmp/go/tmp"
	cp -a "$goroot" "$tmp/go/usr/local/go"
	tar -C "$tmp/go" -cf - . | docker import \
		--change 'ENV PATH=/usr/local/go/bin' \
		--change 'ENV HOME=/tmp GOCACHE=/tmp/gocache GOPATH=/tmp/gopath GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod CGO_ENABLED=0' \
		- "$GO_BASE_IMAGE" >/dev/null
	e2e_log "built $GO_BASE_IMAGE from $goroot ($(go env GOVERSION))"
fi

# The curl image is env.sh's (curl_tarball): baked into the node image and
# loaded into the engine from the same bytes.
docker image inspect "$CURL_IMAGE" >/dev/null 2>&1 || e2e_die "$CURL_IMAGE is missing: run test/e2e/env.sh (make e2e-env)"
ensure_e2e_network
echo "$GO_BASE_IMAGE"
echo "$CURL_IMAGE"
