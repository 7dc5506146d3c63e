#!/usr/bin/env bash
# labcheck's speed against the tools a user would otherwise script
# together, from one paired run (A and B alternating, medians; see
# scripts/benchpair):
#
#   1. cold four-lab check of the bundled full-marks submission against the
#      conftest equivalent (conftest on the Dockerfile, `helm template`,
#      conftest on the Kubernetes, Istio and rendered YAML: the 16 rules of
#      scripts/bench/conftest), and --lab docker against conftest on the
#      Dockerfile alone;
#   2. the re-run on unchanged input (answered from the result cache);
#   3. the scaling series: --lab kubernetes on 1, 10, 100, 175 and 200 copies of
#      the full Lab 2 with renamed objects;
#   4. `labcheck grade` throughput over generated submissions, cold and
#      re-graded.
#
# Peers are installed by version with `go install` into a scratch folder
# (PEERS_BIN, default /tmp/labcheck-peers/bin), never faked: a peer that
# cannot be installed is named and its comparison skipped.
#
# Knobs: RUNS (paired runs, default 15), GRADE_N (submissions, default 1000),
# SCALES (default "1 10 100 175 200": 175 copies are the 1,400 objects of
# the linear-scaling target), INSTALL=0 (use peers already installed,
# install none).
set -u
cd "$(dirname "$0")/.."
root=$PWD
peers=${PEERS_BIN:-/tmp/labcheck-peers/bin}
conftest_version=v0.71.1
helm_version=$(go list -m -f '{{.Version}}' helm.sh/helm/v3 2>/dev/null || echo v3.22.0)
runs=${RUNS:-15}
grade_n=${GRADE_N:-1000}
scales=${SCALES:-"1 10 100 175 200"}
target=fixtures/passing/labs
work=$(mktemp -d "${TMPDIR:-/tmp}/labcheck-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# peer NAME MODULE VERSION: installs NAME at VERSION unless it is there.
peer() {
  local name=$1 module=$2 version=$3 stamp="$peers/.$1-$3"
  if [[ -x $peers/$name && -e $stamp ]]; then return 0; fi
  if [[ ${INSTALL:-1} == 0 ]]; then
    echo "bench: $name $version is not installed in $peers (INSTALL=0): its comparison is skipped" >&2
    return 1
  fi
  echo "bench: installing $name $version (go install $module@$version) into $peers" >&2
  mkdir -p "$peers"
  if GOBIN=$peers go install "$module@$version" >"$work/install-$name.log" 2>&1; then
    touch "$stamp"
  else
    echo "bench: $name $version could not be installed (see below); its comparison is skipped" >&2
    tail -5 "$work/install-$name.log" >&2
    return 1
  fi
}
have_conftest=0 have_helm=0
peer conftest github.com/open-policy-agent/conftest "$conftest_version" && have_conftest=1
peer helm helm.sh/helm/v3/cmd/helm "$helm_version" && have_helm=1

go build -trimpath -o "$work/labcheck" ./cmd/labcheck || exit 1
go build -o "$work/benchpair" ./scripts/benchpair || exit 1
labcheck=$work/labcheck
pair() { "$work/benchpair" -runs "$runs" "$@"; }
nocache=""
if "$labcheck" --help 2>&1 | grep -q -- --no-cache; then nocache=--no-cache; fi
export XDG_CACHE_HOME=$work/cache # the user's own cache is left alone

echo "== 1. cold check of $target against the conftest equivalent (${runs} paired runs)"
if (( have_conftest && have_helm )); then
  c="$peers/conftest"
  equivalent="$c test --no-color -p scripts/bench/conftest/docker $target/docker/Dockerfile; $peers/helm template minio $target/helm/minio > $work/rendered.yaml; $c test --no-color --combine -p scripts/bench/conftest/yaml $target/kubernetes $target/istio $work/rendered.yaml"
  pair "labcheck=$labcheck $nocache --format json $target" "conftest+helm=$equivalent"
  pair "labcheck-docker=$labcheck $nocache --format json --lab docker $target" "conftest-docker=$c test --no-color -p scripts/bench/conftest/docker $target/docker/Dockerfile"
else
  echo "bench: conftest or helm missing: labcheck alone"
  pair "labcheck=$labcheck $nocache --format json $target"
fi

echo "== 2. re-run on unchanged input"
if [[ -n $nocache ]]; then
  "$labcheck" --format json "$target" >/dev/null
  # labcheck version is the floor: process start and package initialisation.
  pair "labcheck-cached=$labcheck --format json $target" "labcheck-version=$labcheck version" "labcheck-cold=$labcheck $nocache --format json $target"
else
  echo "bench: this labcheck has no result cache (--no-cache unknown)"
fi

echo "== 3. scaling: --lab kubernetes on N copies of Lab 2, objects renamed"
# copies N DIR writes N copies of the Kubernetes lab into DIR/labs/kubernetes,
# copy i with every object, label, namespace and reference renamed minio-ci.
copies() {
  local n=$1 dir=$2/labs/kubernetes
  mkdir -p "$dir"
  for i in $(seq "$n"); do
    for f in "$target"/kubernetes/*.yaml; do
      sed -E -e "s/(name|namespace|serviceName|storageClassName): minio/\1: minio-c$i/g" \
        -e "s#minio-\{0...3\}\.minio-headless\.minio\.svc#minio-c$i-{0...3}.minio-c$i-headless.minio-c$i.svc#g" \
        "$f" >"$dir/c$i-$(basename "$f")"
    done
  done
}
for n in $scales; do
  copies "$n" "$work/scale-$n"
  objects=$(cat "$work/scale-$n"/labs/kubernetes/*.yaml | grep -c '^kind:')
  printf 'x%-4s %5d objects  ' "$n" "$objects"
  r=$runs
  (( n >= 100 )) && r=5
  "$work/benchpair" -runs "$r" -warmup 1 "x$n=$labcheck $nocache --format json --lab kubernetes $work/scale-$n"
done

echo "== 4. grade: $grade_n generated submissions (each a full-marks copy with its own bytes)"
class=$work/class
for i in $(seq -w "$grade_n"); do
  s=$class/s$i/labs
  mkdir -p "$s"
  cp -r "$target"/. "$s"/
  for f in "$s"/docker/Dockerfile "$s"/kubernetes/*.yaml "$s"/istio/*.yaml "$s"/helm/minio/values.yaml; do
    printf '\n# submission %s\n' "$i" >>"$f"
  done
done
gtime() { /usr/bin/time -f "%e s wall, %U s user, %S s sys, peak %M KiB" "$@"; }
if [[ -x /usr/bin/time ]]; then
  echo "cold:    $(gtime "$labcheck" grade $nocache --rubric module02-static --out "$work/gradebook" "$class" 2>&1 >/dev/null | grep -v '^\[' | tail -1)"
  if [[ -n $nocache ]]; then
    "$labcheck" grade --rubric module02-static --out "$work/gradebook" "$class" >/dev/null 2>&1
    echo "cached:  $(gtime "$labcheck" grade --rubric module02-static --out "$work/gradebook" "$class" 2>&1 >/dev/null | grep -v '^\[' | tail -1)"
  fi
else
  s=$(date +%s%N)
  "$labcheck" grade $nocache --rubric module02-static --out "$work/gradebook" "$class" >/dev/null 2>&1
  e=$(date +%s%N)
  echo "cold: $(( (e - s) / 1000000 )) ms wall (install GNU time for CPU and memory)"
fi
