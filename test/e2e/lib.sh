# shellcheck shell=bash
# Shared settings for labcheck's offline kind environment (sourced by env.sh,
# run.sh, ci.sh and clean.sh). Every artifact lives outside the repository,
# under $E2E_CACHE, in directories keyed by the versions below.

# --- versions -----------------------------------------------------------------
K8S_VERSION=v1.34.4
K8S_STAGING_VERSION=v0.34.4
ETCD_VERSION=v3.6.8
COREDNS_VERSION=v1.13.2
CRICTL_VERSION=v1.34.0
LPP_VERSION=v0.0.30 # github.com/rancher/local-path-provisioner
MINIO_MODULE_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
KIND_VERSION=v0.33.0
DEBIAN_SUITE=bookworm
DEBIAN_MIRROR=${E2E_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# Bump this when the way the node image is assembled changes: it is part of
# the node image's cache key.
NODE_RECIPE=3

# --- locations ----------------------------------------------------------------
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_CACHE=${LABCHECK_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/labcheck-e2e}
E2E_BIN=$E2E_CACHE/bin
E2E_SRC=$E2E_CACHE/src           # generated wrapper Go modules
E2E_IMAGES=$E2E_CACHE/images     # docker-archive tarballs
E2E_WORK=$E2E_CACHE/work         # scratch space (rootfs trees)
E2E_GOCACHE=$E2E_CACHE/go-build  # a separate Go build cache for these builds
E2E_READY=$E2E_CACHE/ready.env   # written last by env.sh: the cache is complete
E2E_DOCKERD_LOG=$E2E_CACHE/dockerd.log
E2E_DOCKERD_PID=$E2E_CACHE/dockerd.pid

# --- image names (never a public registry name, except inside the node) ------
NODE_IMAGE=labcheck.local/kind-node:$K8S_VERSION
MINIO_IMAGE=labcheck.local/minio:$MINIO_MODULE_VERSION
LPP_IMAGE=labcheck.local/local-path-provisioner:$LPP_VERSION
LPP_HELPER_IMAGE=labcheck.local/local-path-helper:busybox

export PATH=/usr/local/go/bin:$PATH:/usr/sbin:/sbin

e2e_log() { printf '%s e2e: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
e2e_die() { e2e_log "ERROR: $*"; exit 1; }

# docker_ok: a docker engine answers on the default socket.
docker_ok() { timeout 10 docker info >/dev/null 2>&1; }

# docker_version prints the engine's version (empty when none answers).
docker_version() { timeout 10 docker version --format '{{.Server.Version}}' 2>/dev/null || true; }

# start_dockerd starts the Docker engine in the background when none answers.
# It never replaces an engine that is already running. Returns non-zero when
# no engine can be had.
start_dockerd() {
	if docker_ok; then return 0; fi
	local dockerd
	dockerd=$(command -v dockerd || true)
	[ -n "$dockerd" ] || { e2e_log "dockerd is not installed (run: make e2e-env)"; return 1; }
	mkdir -p "$E2E_CACHE"
	e2e_log "starting $dockerd in the background (log: $E2E_DOCKERD_LOG)"
	# setsid: the engine must outlive this script and the make that ran it.
	setsid nohup "$dockerd" >>"$E2E_DOCKERD_LOG" 2>&1 </dev/null &
	echo $! >"$E2E_DOCKERD_PID"
	local i
	for i in $(seq 1 60); do
		if docker_ok; then return 0; fi
		sleep 1
	done
	e2e_log "dockerd did not answer within 60s; last lines of its log:"
	tail -n 20 "$E2E_DOCKERD_LOG" >&2 || true
	return 1
}
