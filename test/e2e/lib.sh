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
NODE_RECIPE=8

# --- locations ----------------------------------------------------------------
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_CACHE=${LABCHECK_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/labcheck-e2e}
E2E_BIN=$E2E_CACHE/bin
E2E_SRC=$E2E_CACHE/src           # generated wrapper Go modules
E2E_IMAGES=$E2E_CACHE/images     # docker-archive tarballs
E2E_WORK=$E2E_CACHE/work         # scratch space (rootfs trees)
E2E_GOCACHE=$E2E_CACHE/go-build  # a separate Go build cache for these builds
E2E_READY=$E2E_CACHE/ready.env   # written last by env.sh: the cache is complete
E2E_DOCKERD_LOG=/var/log/labcheck-e2e-dockerd.log
E2E_DOCKERD_PID=/run/labcheck-e2e-dockerd.pid

# --- image names (never a public registry name, except inside the node) ------
NODE_IMAGE=labcheck.local/kind-node:$K8S_VERSION
MINIO_IMAGE=labcheck.local/minio:$MINIO_MODULE_VERSION
CURL_IMAGE=labcheck.local/e2e-curl:1 # what a chart's test hook runs in place of curlimages/curl
LPP_IMAGE=labcheck.local/local-path-provisioner:$LPP_VERSION
LPP_HELPER_IMAGE=labcheck.local/local-path-helper:busybox
NET_IMAGE=labcheck.local/labcheck-net:$K8S_VERSION

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
	# Without env.sh's lock descriptors (8, 9): an engine holding them would
	# make the next env.sh wait an hour for its own locks.
	setsid nohup "$dockerd" >>"$E2E_DOCKERD_LOG" 2>&1 </dev/null 8>&- 9>&- &
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

# docker_import IMAGE KEY TARBALL [CHANGE...]: makes IMAGE (labelled with KEY)
# present in the Docker engine, importing the root filesystem TARBALL unless
# it already is.
docker_import() {
	local image=$1 key=$2 tarball=$3
	shift 3
	local have
	have=$(docker image inspect --format '{{index .Config.Labels "labcheck.e2e.key"}}' "$image" 2>/dev/null || true)
	if [ "$have" = "$key" ]; then e2e_log "cached: docker image $image ($key)"; return; fi
	[ -f "$tarball" ] || { e2e_log "missing $tarball (run: make e2e-env)"; return 1; }
	local args=(--change "LABEL labcheck.e2e.key=$key") c old
	for c in "$@"; do args+=(--change "$c"); done
	old=$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
	docker import "${args[@]}" "$tarball" "$image" >/dev/null
	e2e_log "docker image $image ($key) imported from $tarball"
	# The image it replaced, now untagged, is of no use.
	if [ -n "$old" ]; then docker rmi "$old" >/dev/null 2>&1 || true; fi
}

NODE_IMAGE_CHANGES=('ENV container=docker' 'STOPSIGNAL SIGRTMIN+3' 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]')

# remove_cluster_containers PATTERN: force-removes (with their anonymous
# volumes) the containers of kind clusters whose name matches the awk
# PATTERN, retrying for up to 30 s (a kind delete may be under way).
cluster_container_ids() {
	docker ps -a --filter label=io.x-k8s.kind.cluster --format '{{.ID}} {{.Label "io.x-k8s.kind.cluster"}}' 2>/dev/null |
		awk -v p="$1" '$2 ~ p {print $1}'
}
remove_cluster_containers() {
	local pattern=$1 ids i
	for i in $(seq 1 15); do
		ids=$(cluster_container_ids "$pattern")
		[ -n "$ids" ] || return 0
		# shellcheck disable=SC2086
		docker rm -f -v $ids >/dev/null 2>&1 && e2e_log "removed leftover kind node containers: $(echo $ids)"
		sleep 2
	done
	ids=$(cluster_container_ids "$pattern")
	[ -z "$ids" ] || { e2e_log "could not remove containers: $(echo $ids)"; return 1; }
}

# The Docker network kind puts this project's e2e nodes on (kind's own
# KIND_EXPERIMENTAL_DOCKER_NETWORK), and a host firewall rule that keeps
# every packet from it on this machine: nothing a node or pod sends may be
# forwarded to any address outside that network (the host itself, the other
# nodes and loopback stay reachable). Without it, a pod's early connection to
# the kubernetes Service address (before kube-proxy's rules exist) is routed
# out of the machine.
E2E_NETWORK=labcheck-e2e
ensure_e2e_network() {
	if ! docker network inspect "$E2E_NETWORK" >/dev/null 2>&1; then
		docker network create -d bridge \
			-o com.docker.network.bridge.enable_ip_masquerade=true \
			-o com.docker.network.bridge.name=br-labcheck-e2e \
			"$E2E_NETWORK" >/dev/null
		e2e_log "created docker network $E2E_NETWORK"
	fi
	local subnet
	subnet=$(docker network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{end}}' "$E2E_NETWORK" | tr ' ' '\n' | grep -v : | head -n1)
	[ -n "$subnet" ] || { e2e_log "docker network $E2E_NETWORK has no IPv4 subnet"; return 1; }
	iptables -L DOCKER-USER -n >/dev/null 2>&1 || iptables -N DOCKER-USER
	local rule=(-s "$subnet" ! -d "$subnet" -m comment --comment labcheck-e2e-egress -j REJECT --reject-with icmp-admin-prohibited)
	if ! iptables -C DOCKER-USER "${rule[@]}" 2>/dev/null; then
		iptables -I DOCKER-USER 1 "${rule[@]}"
		e2e_log "host firewall: DOCKER-USER rejects forwarding from $subnet to anywhere else"
	fi
	# And nothing over IPv6 either.
	if ip6tables -L DOCKER-USER -n >/dev/null 2>&1; then
		local rule6=(-i br-labcheck-e2e -m comment --comment labcheck-e2e-egress -j REJECT)
		ip6tables -C DOCKER-USER "${rule6[@]}" 2>/dev/null || ip6tables -I DOCKER-USER 1 "${rule6[@]}"
	fi
	export KIND_EXPERIMENTAL_DOCKER_NETWORK=$E2E_NETWORK
}
