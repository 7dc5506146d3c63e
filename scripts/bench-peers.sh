#!/usr/bin/env bash
# Times labcheck's static phase as a cold process against the peer tools
# users know, where they are installed (hyperfine if present, else a loop).
# Peers are optional: a missing one is named, never faked.
set -u
cd "$(dirname "$0")/.."
go build -trimpath -o bin/labcheck ./cmd/labcheck || exit 1
target=fixtures/passing/labs
runs=10
cmds=("bin/labcheck --format json $target")
command -v conftest >/dev/null && cmds+=("conftest test --all-namespaces $target/docker/Dockerfile") || echo "bench: conftest not installed, skipped"
command -v hadolint >/dev/null && cmds+=("hadolint $target/docker/Dockerfile") || echo "bench: hadolint not installed, skipped"
command -v kube-score >/dev/null && cmds+=("kube-score score $target/kubernetes/*.yaml") || echo "bench: kube-score not installed, skipped"
command -v helm >/dev/null && cmds+=("helm template $target/helm/minio") || echo "bench: helm not installed, skipped"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 2 --runs "$runs" -i "${cmds[@]}"
  exit 0
fi
echo "bench: hyperfine not installed (apt-get install hyperfine); median of $runs runs with date +%s%N:"
for c in "${cmds[@]}"; do
  times=()
  for _ in $(seq "$runs"); do
    s=$(date +%s%N); $c >/dev/null 2>&1; e=$(date +%s%N)
    times+=($(( (e - s) / 1000000 )))
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( runs / 2 + 1 ))p")
  printf '  %-60s median %s ms\n' "$c" "$median"
done
