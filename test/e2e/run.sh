#!/usr/bin/env bash
# run.sh: the end-to-end smoke test (make e2e). Needs the cache that
# `make e2e-env` fills; starts the Docker engine if it is not running.
#
# Environment: LABCHECK_E2E_WORKERS (default 2), LABCHECK_E2E_FIXTURE_DIR
# (default fixtures/passing/labs/kubernetes), LABCHECK_E2E_READY_TIMEOUT
# (default 6m), LABCHECK_E2E_KEEP=1 (keep the cluster), E2E_GO_TEST_TIMEOUT
# (default 12m).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

test_pid=""
main() {
	[ -f "$E2E_READY" ] || e2e_die "the offline kind environment is not built: run make e2e-env first"
	set -a
	# shellcheck disable=SC1090
	source "$E2E_READY"
	set +a
	start_dockerd || e2e_die "no Docker engine"
	ensure_e2e_network || e2e_die "could not set up docker network $E2E_NETWORK"
	docker_import "$LABCHECK_E2E_NODE_IMAGE" "$LABCHECK_E2E_NODE_KEY" "$LABCHECK_E2E_NODE_TAR" "${NODE_IMAGE_CHANGES[@]}" ||
		e2e_die "node image missing"
	[ -f "$LABCHECK_E2E_MINIO_TAR" ] || e2e_die "missing $LABCHECK_E2E_MINIO_TAR: run make e2e-env"
	export LABCHECK_E2E_FIXTURE_DIR=${LABCHECK_E2E_FIXTURE_DIR:-$(cd "$E2E_DIR/../.." && pwd)/fixtures/passing/labs/kubernetes}
	export LABCHECK_E2E_CLUSTER_NAME=${LABCHECK_E2E_CLUSTER_NAME:-labcheck-e2e-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')}

	# Whatever happens to the test (failure, go test's timeout, a signal),
	# this run's cluster does not outlive it.
	cleanup() {
		local rc=$?
		trap - EXIT INT TERM
		if [ -n "$test_pid" ] && kill -0 "$test_pid" 2>/dev/null; then
			# go test and the test binary (its own process group): the
			# binary deletes its cluster on SIGTERM.
			kill -TERM -- "-$test_pid" 2>/dev/null || kill -TERM "$test_pid" 2>/dev/null || true
			wait "$test_pid" 2>/dev/null || true
		fi
		if [ "${LABCHECK_E2E_KEEP:-}" != 1 ]; then
			remove_cluster_containers "^${LABCHECK_E2E_CLUSTER_NAME}\$"
		fi
		exit "$rc"
	}
	trap cleanup EXIT
	trap 'exit 130' INT TERM

	e2e_log "smoke test: cluster $LABCHECK_E2E_CLUSTER_NAME, node image $LABCHECK_E2E_NODE_IMAGE, fixture $LABCHECK_E2E_FIXTURE_DIR"
	cd "$E2E_DIR"
	# The same build settings as env.sh's prebuild, so only the link is left.
	export GOCACHE=$E2E_GOCACHE GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-buildvcs=false -mod=readonly"
	setsid go test -tags e2e -count=1 -v -timeout "${E2E_GO_TEST_TIMEOUT:-12m}" -run '^TestSmoke$' . &
	test_pid=$!
	local rc=0
	wait "$test_pid" || rc=$?
	test_pid=""
	return "$rc"
}
main "$@"; exit
