#!/usr/bin/env bash
# images.sh: the two local images labcheck verify's offline recipe and its
# e2e test name besides the node and MinIO images (make e2e-env runs it
# after env.sh; seconds when they exist):
#   labcheck.local/e2e-golang:local  this machine's Go toolchain (static
#       binaries, no shell): a base image Lab 1's builder stage can build from
#       offline (RUN in exec form);
#   labcheck.local/e2e-curl:1  a few lines of Go answering `curl -fsS URL`:
#       what a chart's test hook runs in place of curlimages/curl.
# Neither is named after a public registry. Needs Docker and go.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

GO_BASE_IMAGE=labcheck.local/e2e-golang:local
CURL_IMAGE=labcheck.local/e2e-curl:1

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

if ! docker image inspect "$CURL_IMAGE" >/dev/null 2>&1; then
	mkdir -p "$tmp/curl/src" "$tmp/curl/img/usr/bin"
	printf 'module curl\n\ngo 1.22\n' >"$tmp/curl/src/go.mod"
	cat >"$tmp/curl/src/main.go" <<'GO'
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// curl -fsS URL: the last argument is fetched; an HTTP error exits 22.
func main() {
	url := os.Args[len(os.Args)-1]
	c := &http.Client{Timeout: 30 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(7)
	}
	defer resp.Body.Close()
	io.Copy(os.Stdout, resp.Body)
	if resp.StatusCode >= 400 {
		fmt.Fprintln(os.Stderr, "curl: (22) The requested URL returned error:", resp.StatusCode)
		os.Exit(22)
	}
}
GO
	(cd "$tmp/curl/src" && CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local go build -o "$tmp/curl/img/usr/bin/curl" .)
	tar -C "$tmp/curl/img" -cf - . | docker import --change 'ENV PATH=/usr/bin' - "$CURL_IMAGE" >/dev/null
	e2e_log "built $CURL_IMAGE"
fi
ensure_e2e_network
echo "$GO_BASE_IMAGE"
echo "$CURL_IMAGE"
