#!/usr/bin/env bash
# clean.sh: make e2e-clean. Removes leftover e2e kind clusters (named
# labcheck-e2e-*), the labcheck.local/kind-node, labcheck.local/minio and
# labcheck.local/e2e-* (images.sh) images and the cache directory. With E2E_CLEAN_HOST=1 it
# also stops the dockerd that env.sh started and removes the trixie apt
# source it added (installed packages stay: see README for removing them).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if docker_ok; then
	remove_cluster_containers '^labcheck-e2e-'
	# Only the images env.sh and images.sh make (other labcheck.local/* images are not ours).
	imgs=$(docker images --format '{{.Repository}}:{{.Tag}}' | grep -E '^labcheck\.local/(kind-node|minio|e2e-golang|e2e-curl):' || true)
	if [ -n "$imgs" ]; then
		# shellcheck disable=SC2086
		docker rmi -f $imgs >/dev/null
		e2e_log "removed images: $(echo $imgs)"
	fi
fi
if [ "${E2E_CLEAN_HOST:-}" = 1 ]; then
	if docker_ok && [ -z "$(docker ps -aq --filter network=$E2E_NETWORK)" ]; then
		subnet=$(docker network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{end}}' "$E2E_NETWORK" 2>/dev/null | tr ' ' '\n' | grep -v : | head -n1 || true)
		if [ -n "$subnet" ]; then
			while iptables -D DOCKER-USER -s "$subnet" ! -d "$subnet" -m comment --comment labcheck-e2e-egress -j REJECT --reject-with icmp-admin-prohibited 2>/dev/null; do :; done
			while ip6tables -D DOCKER-USER -i br-labcheck-e2e -m comment --comment labcheck-e2e-egress -j REJECT 2>/dev/null; do :; done
			e2e_log "removed the labcheck-e2e-egress rules from DOCKER-USER"
		fi
		docker network rm "$E2E_NETWORK" >/dev/null 2>&1 && e2e_log "removed docker network $E2E_NETWORK" || true
	fi
	if [ -f "$E2E_DOCKERD_PID" ]; then
		pid=$(cat "$E2E_DOCKERD_PID")
		if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]; then
			e2e_log "stopping dockerd (pid $pid, started by env.sh)"
			kill -TERM "$pid"
			for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
		fi
	fi
	for f in /etc/apt/sources.list.d/labcheck-e2e-trixie.sources /etc/apt/preferences.d/labcheck-e2e-trixie; do
		[ -f "$f" ] && rm -f "$f" && e2e_log "removed $f"
	done
fi
if [ -d "$E2E_CACHE" ]; then
	# Make sure nothing inside is write-protected.
	chmod -R u+w "$E2E_CACHE" 2>/dev/null || true
	rm -rf "$E2E_CACHE"
	e2e_log "removed $E2E_CACHE"
fi
