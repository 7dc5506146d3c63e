#!/usr/bin/env bash
# env.sh: build labcheck's offline kind environment (make e2e-env).
#
# Installs what it needs from Debian, starts a Docker engine that can run
# kind's privileged node containers, builds Kubernetes/etcd/CoreDNS/crictl/
# local-path-provisioner/pause/MinIO from the Go module proxy, assembles the
# kind node image and the MinIO image, and caches everything under
# ${XDG_CACHE_HOME:-$HOME/.cache}/labcheck-e2e, keyed by versions. Idempotent:
# a second run checks the cache and takes seconds. See test/e2e/README.md.
#
# Usage: env.sh [all|host|bins|images]   (default: all)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ "$(id -u)" = 0 ] || e2e_die "run as root (apt-get, dockerd, debootstrap need it)"
mkdir -p "$E2E_CACHE" "$E2E_BIN" "$E2E_SRC" "$E2E_IMAGES" "$E2E_WORK"

# One env.sh at a time per part (the Go builds and the images can be run
# side by side as `env.sh bins` and `env.sh images`).
lock() {
	local fd=$1 name=$2
	eval "exec $fd>\"\$E2E_CACHE/.lock-$name\""
	flock -w 3600 "$fd" || e2e_die "another env.sh holds $E2E_CACHE/.lock-$name"
}

TOTAL_START=$(date +%s)
# step NAME FUNCTION...: runs FUNCTION, printing what it does and how long it took.
step() {
	local name=$1
	shift
	local t0 t1
	t0=$(date +%s)
	e2e_log "==> $name"
	"$@"
	t1=$(date +%s)
	e2e_log "<== $name: $((t1 - t0))s"
}

# nicebuild runs a heavy command at the lowest CPU priority: the machine is
# shared with interactive work.
nicebuild() { nice -n 19 "$@"; }

gobuild_env() {
	export GOCACHE=$E2E_GOCACHE GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-buildvcs=false -trimpath -mod=mod"
	export GOPROXY=${GOPROXY:-https://proxy.golang.org,direct}
	unset GOOS GOARCH
}

###############################################################################
# host: Debian packages, sysctls, Docker engine
###############################################################################

TRIXIE_SOURCES=/etc/apt/sources.list.d/labcheck-e2e-trixie.sources
TRIXIE_PIN=/etc/apt/preferences.d/labcheck-e2e-trixie
HOST_PKGS=(debootstrap jq iptables ca-certificates)

need_apt_update=1
apt_update_once() {
	if [ "$need_apt_update" = 1 ]; then
		apt-get update -qq
		need_apt_update=0
	fi
}

docker_engine_major() {
	local v
	v=$(dpkg-query -W -f='${Version}' docker.io 2>/dev/null || true)
	echo "${v%%.*}"
}

host_packages() {
	local missing=() p
	for p in "${HOST_PKGS[@]}"; do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	if [ "${#missing[@]}" -gt 0 ]; then
		e2e_log "installing from Debian: ${missing[*]}"
		apt_update_once
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	fi
	# Docker engine: bookworm's docker.io 20.10 cannot start privileged
	# containers on this VM (its capability bounding set lacks
	# CAP_SYS_RESOURCE); trixie's docker.io (26.x) can. Take only docker.io
	# (and what it cannot do without) from trixie, pinned low so nothing else
	# is ever upgraded from it.
	local major
	major=$(docker_engine_major)
	if [ -z "$major" ] || [ "$major" -lt 26 ]; then
		if [ ! -f "$TRIXIE_SOURCES" ]; then
			e2e_log "adding Debian trixie as a low-priority apt source ($TRIXIE_SOURCES, pinned at 100 by $TRIXIE_PIN)"
			cat >"$TRIXIE_SOURCES" <<EOF
# Added by labcheck test/e2e/env.sh for docker.io 26 (remove with make e2e-clean E2E_CLEAN_HOST=1)
Types: deb
URIs: $DEBIAN_MIRROR
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
			cat >"$TRIXIE_PIN" <<EOF
# Added by labcheck test/e2e/env.sh: never upgrade anything from trixie unless asked by name.
Package: *
Pin: release n=trixie
Pin-Priority: 100
EOF
			need_apt_update=1
		fi
		apt_update_once
		e2e_log "installing docker.io from trixie"
		if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io/trixie >/dev/null 2>"$E2E_WORK/apt-docker.err"; then
			# Its dependencies may need trixie's versions too: name them.
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
				docker.io/trixie containerd/trixie runc/trixie tini/trixie >/dev/null
		fi
	fi
	e2e_log "docker.io $(dpkg-query -W -f='${Version}' docker.io), containerd $(dpkg-query -W -f='${Version}' containerd 2>/dev/null), runc $(dpkg-query -W -f='${Version}' runc 2>/dev/null)"
}

host_sysctls() {
	# Several kind nodes each run systemd, containerd and kubelet: raise the
	# inotify limits kind's docs ask for (only ever raised, never lowered).
	local k want cur
	for kv in fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512; do
		k=${kv%%=*}
		want=${kv#*=}
		cur=$(sysctl -n "$k")
		if [ "$cur" -lt "$want" ]; then
			e2e_log "sysctl $k: $cur -> $want"
			sysctl -qw "$k=$want"
		fi
	done
}

host_docker() {
	local v
	v=$(docker_version)
	if [ -n "$v" ] && [ "${v%%.*}" -lt 26 ]; then
		e2e_die "a Docker engine $v is already running; it cannot run kind's privileged nodes here. Stop it, then rerun (env.sh starts trixie's dockerd itself)."
	fi
	start_dockerd || e2e_die "no Docker engine"
	ensure_e2e_network || e2e_die "could not set up docker network $E2E_NETWORK"
	e2e_log "Docker engine $(docker_version) ($(docker info --format '{{.Driver}}, cgroup {{.CgroupVersion}}' 2>/dev/null))"
}

###############################################################################
# bins: Go builds from the module proxy, each in a cache directory keyed by
# its version, built through a generated wrapper module.
###############################################################################

# write_wrapper NAME: writes $E2E_SRC/NAME/go.mod from stdin and tidies it.
write_wrapper() {
	local dir=$E2E_SRC/$1
	mkdir -p "$dir"
	cat >"$dir/go.mod.new"
	if ! cmp -s "$dir/go.mod.new" "$dir/go.mod.in" 2>/dev/null; then
		cp "$dir/go.mod.new" "$dir/go.mod"
		rm -f "$dir/go.sum"
		e2e_log "resolving the module graph of $1 (go mod tidy; log: $dir/tidy.log)"
		(cd "$dir" && gobuild_env && nicebuild go mod tidy) >"$dir/tidy.log" 2>&1 ||
			{ tail -n 30 "$dir/tidy.log" >&2; e2e_die "go mod tidy failed in $dir"; }
		cp "$dir/go.mod.new" "$dir/go.mod.in"
	fi
	rm -f "$dir/go.mod.new"
}

# go_build_into OUTDIR SRCDIR LDFLAGS PKG...: builds PKGs into OUTDIR atomically.
go_build_into() {
	local out=$1 src=$2 ldflags=$3
	shift 3
	local tmp=$out.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	(cd "$src" && gobuild_env && nicebuild go build -p 2 -ldflags "$ldflags" -o "$tmp/" "$@")
	rm -rf "$out"
	mv "$tmp" "$out"
}

build_kubernetes() {
	local out=$E2E_BIN/kubernetes-$K8S_VERSION
	if [ -x "$out/kubeadm" ]; then e2e_log "cached: $out"; return; fi
	local tools=(kube-apiserver kube-controller-manager kube-scheduler kube-proxy kubelet kubeadm kubectl)
	# Every staging module of k8s.io/kubernetes, mapped to its published
	# version (sample-cli-plugin and sample-controller are refused by the proxy
	# and not needed).
	local modfile staging
	modfile=$(cd "$E2E_WORK" && GOFLAGS='' GOTOOLCHAIN=local go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | jq -r .GoMod)
	staging=$(sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$modfile" | grep -v -e sample-cli-plugin -e sample-controller)
	{
		echo "module labcheck.local/e2e-build/kubernetes"
		echo
		echo "go 1.26"
		echo
		echo "require k8s.io/kubernetes $K8S_VERSION"
		echo
		echo "replace ("
		for m in $staging; do echo "	$m => $m $K8S_STAGING_VERSION"; done
		echo ")"
		echo
		echo "tool ("
		for t in "${tools[@]}"; do echo "	k8s.io/kubernetes/cmd/$t"; done
		echo ")"
	} | write_wrapper "kubernetes-$K8S_VERSION"
	local minor=${K8S_VERSION#v1.}
	minor=${minor%%.*}
	local ld="-s -w" pkg
	for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
		ld+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
		ld+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
	done
	local pkgs=()
	for t in "${tools[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$t"); done
	go_build_into "$out" "$E2E_SRC/kubernetes-$K8S_VERSION" "$ld" "${pkgs[@]}"
	"$out/kubeadm" version -o short
}

# build_simple NAME MODULE VERSION PKG LDFLAGS BINARY
build_simple() {
	local name=$1 mod=$2 ver=$3 pkg=$4 ld=$5 binary=$6
	local out=$E2E_BIN/$name-$ver
	if [ -x "$out/$binary" ]; then e2e_log "cached: $out"; return; fi
	printf 'module labcheck.local/e2e-build/%s\n\ngo 1.26\n\nrequire %s %s\n\ntool %s\n' \
		"$name" "$mod" "$ver" "$pkg" | write_wrapper "$name-$ver"
	go_build_into "$out" "$E2E_SRC/$name-$ver" "$ld" "$pkg"
	[ -x "$out/$binary" ] || mv "$out"/* "$out/$binary"
}

build_pause() {
	local out=$E2E_BIN/pause-1
	if [ -x "$out/pause" ]; then e2e_log "cached: $out"; return; fi
	local src=$E2E_SRC/pause-1
	mkdir -p "$src"
	printf 'module labcheck.local/e2e-build/pause\n\ngo 1.26\n' >"$src/go.mod"
	cat >"$src/main.go" <<'EOF'
// pause: the sandbox process of a pod. It sleeps until SIGINT or SIGTERM and
// reaps the zombies it inherits as PID 1.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	sig := make(chan os.Signal, 8)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range sig {
		if s != syscall.SIGCHLD {
			return
		}
		for {
			pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
EOF
	go_build_into "$out" "$src" "-s -w" .
	[ -x "$out/pause" ] || mv "$out"/* "$out/pause"
}

bins() {
	step "build Kubernetes $K8S_VERSION (apiserver, controller-manager, scheduler, proxy, kubelet, kubeadm, kubectl)" build_kubernetes
	step "build etcd $ETCD_VERSION" build_simple etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" go.etcd.io/etcd/server/v3 "-s -w" etcd
	step "build CoreDNS $COREDNS_VERSION" build_simple coredns github.com/coredns/coredns "$COREDNS_VERSION" github.com/coredns/coredns "-s -w" coredns
	step "build crictl $CRICTL_VERSION" build_simple crictl sigs.k8s.io/cri-tools "$CRICTL_VERSION" sigs.k8s.io/cri-tools/cmd/crictl \
		"-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=$CRICTL_VERSION" crictl
	step "build local-path-provisioner $LPP_VERSION" build_simple local-path-provisioner github.com/rancher/local-path-provisioner "$LPP_VERSION" github.com/rancher/local-path-provisioner "-s -w" local-path-provisioner
	step "build pause" build_pause
	step "build MinIO $MINIO_MODULE_VERSION" build_simple minio github.com/minio/minio "$MINIO_MODULE_VERSION" github.com/minio/minio "-s -w" minio
}

###############################################################################
# images
###############################################################################

kind_module_dir() {
	(cd "$E2E_WORK" && GOFLAGS='' GOTOOLCHAIN=local go mod download -json "sigs.k8s.io/kind@$KIND_VERSION" | jq -r .Dir)
}

# mkimage NAME:TAG ROOTDIR OUT.tar CONFIG_JSON [keep-owners]
# Writes a one-layer docker-archive (what `docker save` writes, what
# `docker load` and `ctr images import` read) without any registry or daemon.
# CONFIG_JSON is the image's runtime config (Env, Entrypoint, Cmd, User...).
mkimage() {
	local name=$1 root=$2 out=$3 config=$4 keep=${5:-}
	local tmp
	tmp=$(mktemp -d "$E2E_WORK/img.XXXXXX")
	local owner=(--owner=0 --group=0)
	[ -n "$keep" ] && owner=()
	tar --sort=name --numeric-owner "${owner[@]}" --mtime=@0 -C "$root" -cf "$tmp/layer.tar" .
	local diff cfg
	diff=$(sha256sum "$tmp/layer.tar" | cut -d' ' -f1)
	mkdir "$tmp/$diff"
	mv "$tmp/layer.tar" "$tmp/$diff/layer.tar"
	jq -n --arg diff "sha256:$diff" --argjson config "$config" '{
		architecture: "amd64", os: "linux", created: "1970-01-01T00:00:00Z",
		config: ({WorkingDir: "/"} + $config),
		rootfs: {type: "layers", diff_ids: [$diff]},
		history: [{created: "1970-01-01T00:00:00Z", created_by: "labcheck test/e2e/env.sh"}]
	}' >"$tmp/config.json"
	cfg=$(sha256sum "$tmp/config.json" | cut -d' ' -f1)
	mv "$tmp/config.json" "$tmp/$cfg.json"
	jq -n --arg c "$cfg.json" --arg t "$name" --arg l "$diff/layer.tar" \
		'[{Config: $c, RepoTags: [$t], Layers: [$l]}]' >"$tmp/manifest.json"
	tar -C "$tmp" -cf "$out.tmp" manifest.json "$cfg.json" "$diff"
	mv "$out.tmp" "$out"
	rm -rf "$tmp"
}

# binimage NAME:TAG OUT.tar CONFIG_JSON SRC:DEST...: an image of a few static
# binaries (plus /tmp and /etc/passwd, /etc/group for non-root users).
binimage() {
	local name=$1 out=$2 config=$3
	shift 3
	local root
	root=$(mktemp -d "$E2E_WORK/root.XXXXXX")
	mkdir -p "$root/tmp" "$root/etc" "$root/usr/local/bin"
	chmod 1777 "$root/tmp"
	printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' >"$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
	local pair
	for pair in "$@"; do
		mkdir -p "$root/$(dirname "${pair#*:}")"
		cp "${pair%%:*}" "$root/${pair#*:}"
		chmod 0755 "$root/${pair#*:}"
	done
	mkimage "$name" "$root" "$out" "$config"
	rm -rf "$root"
}

# The side-loaded images' docker-archive tarballs (minio_tarball,
# curl_tarball), baked into the node image and loaded into the engine.
MINIO_TAR=$E2E_IMAGES/minio-$MINIO_MODULE_VERSION.tar
CURL_TAR=$E2E_IMAGES/e2e-curl.tar

PATH_ENV='"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"'

# The control-plane images carry exactly the names kubeadm asks for, but only
# ever inside the node's containerd (as kind's own node images do).
kubeadm_images() {
	"$E2E_BIN/kubernetes-$K8S_VERSION/kubeadm" config images list --kubernetes-version "$K8S_VERSION" 2>/dev/null
}

NODE_BASE_PKGS=systemd,conntrack,iptables,nftables,iproute2,ethtool,util-linux,mount,kmod,libseccomp2,pigz,e2fsprogs,bash,ca-certificates,curl,jq,procps,containerd,runc,containernetworking-plugins
PROXY_BASE_PKGS=iptables,nftables,conntrack,busybox-static

# debootstrap_tree NAME PKGS: a cached debootstrap tree under $E2E_CACHE/rootfs.
debootstrap_tree() {
	local name=$1 pkgs=$2
	local key
	key=$(printf '%s %s %s' "$DEBIAN_SUITE" "$DEBIAN_MIRROR" "$pkgs" | sha256sum | cut -c1-12)
	local dir=$E2E_CACHE/rootfs/$name-$DEBIAN_SUITE-$key
	if [ -f "$dir.done" ]; then e2e_log "cached: $dir"; echo "$dir" >"$E2E_WORK/$name.path"; return; fi
	rm -rf "$dir"
	mkdir -p "$(dirname "$dir")"
	e2e_log "debootstrap $DEBIAN_SUITE ($pkgs) -> $dir"
	nicebuild debootstrap --variant=minbase --include="$pkgs" "$DEBIAN_SUITE" "$dir" "$DEBIAN_MIRROR" >"$E2E_WORK/debootstrap-$name.log" 2>&1 ||
		{ tail -n 30 "$E2E_WORK/debootstrap-$name.log" >&2; e2e_die "debootstrap $name failed"; }
	chroot "$dir" apt-get clean
	rm -rf "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/usr/share/locale/*
	touch "$dir.done"
	echo "$dir" >"$E2E_WORK/$name.path"
}

# The images preloaded into the node's containerd, as docker-archive tarballs
# in $E2E_IMAGES/node-images-<key>/.
build_node_images() {
	local k8s=$E2E_BIN/kubernetes-$K8S_VERSION
	local key
	key=$(printf '%s\n' "$K8S_VERSION" "$ETCD_VERSION" "$COREDNS_VERSION" "$LPP_VERSION" "$NODE_RECIPE" "$(cat "$E2E_DIR/env.sh" "$E2E_DIR/node/"* | sha256sum)" | sha256sum | cut -c1-12)
	local dir=$E2E_IMAGES/node-images-$key
	echo "$dir" >"$E2E_WORK/node-images.path"
	[ -x "$k8s/kubeadm" ] || e2e_die "$k8s/kubeadm is not built yet: run env.sh bins (or make e2e-env)"
	if [ -f "$dir/.done" ]; then e2e_log "cached: $dir"; return; fi
	rm -rf "$dir"
	mkdir -p "$dir"
	local img
	for img in $(kubeadm_images); do
		case $img in
		*/kube-apiserver:* | */kube-controller-manager:* | */kube-scheduler:*)
			local bin=${img##*/}
			bin=${bin%%:*}
			binimage "$img" "$dir/$bin.tar" "{\"Env\": [$PATH_ENV]}" "$k8s/$bin:/usr/local/bin/$bin"
			;;
		*/kube-proxy:*)
			# kube-proxy runs iptables, ip6tables and conntrack: a small Debian
			# tree with those, plus the binary.
			local proxyroot
			proxyroot=$(mktemp -d "$E2E_WORK/proxy.XXXXXX")
			cp -a "$(cat "$E2E_WORK/proxy-base.path")/." "$proxyroot/"
			rm -f "$proxyroot/bin/busybox"
			install -m 0755 "$k8s/kube-proxy" "$proxyroot/usr/local/bin/kube-proxy"
			mkimage "$img" "$proxyroot" "$dir/kube-proxy.tar" "{\"Env\": [$PATH_ENV]}" keep-owners
			rm -rf "$proxyroot"
			;;
		*/etcd:*)
			binimage "$img" "$dir/etcd.tar" "{\"Env\": [$PATH_ENV]}" \
				"$E2E_BIN/etcd-$ETCD_VERSION/etcd:/usr/local/bin/etcd"
			;;
		*/coredns:*)
			binimage "$img" "$dir/coredns.tar" '{"Entrypoint": ["/coredns"], "ExposedPorts": {"53/tcp": {}, "53/udp": {}}}' \
				"$E2E_BIN/coredns-$COREDNS_VERSION/coredns:/coredns"
			;;
		*/pause:*)
			echo "$img" >"$dir/.pause-image"
			binimage "$img" "$dir/pause.tar" '{"Entrypoint": ["/pause"]}' "$E2E_BIN/pause-1/pause:/pause"
			;;
		*) e2e_die "kubeadm asks for an image this script does not know how to build: $img" ;;
		esac
		e2e_log "image $img"
	done
	[ -f "$dir/.pause-image" ] || e2e_die "kubeadm did not list a pause image"
	# Drop the image sets of older keys.
	find "$E2E_IMAGES" -mindepth 1 -maxdepth 1 -type d -name "node-images-*" ! -name "$(basename "$dir")" -exec rm -rf {} +
	binimage "$LPP_IMAGE" "$dir/local-path-provisioner.tar" "{\"Env\": [$PATH_ENV]}" \
		"$E2E_BIN/local-path-provisioner-$LPP_VERSION/local-path-provisioner:/usr/local/bin/local-path-provisioner"
	e2e_log "image $LPP_IMAGE"
	# The local-path helper pod runs `sh /script/setup` (mkdir -m 0777 -p):
	# Debian's static busybox.
	local hroot
	hroot=$(mktemp -d "$E2E_WORK/helper.XXXXXX")
	mkdir -p "$hroot/bin" "$hroot/tmp"
	chmod 1777 "$hroot/tmp"
	cp "$(cat "$E2E_WORK/proxy-base.path")/bin/busybox" "$hroot/bin/busybox"
	local a
	for a in sh ash mkdir rm rmdir chmod chown ls cat echo sleep test true false mv cp du df find stat; do ln -s busybox "$hroot/bin/$a"; done
	mkimage "$LPP_HELPER_IMAGE" "$hroot" "$dir/local-path-helper.tar" "{\"Env\": [$PATH_ENV]}"
	rm -rf "$hroot"
	e2e_log "image $LPP_HELPER_IMAGE"
	# labcheck-net, the pod network (node/labcheck-net.sh): iptables from the
	# Debian tree, ip from busybox, kubectl.
	local nroot
	nroot=$(mktemp -d "$E2E_WORK/net.XXXXXX")
	cp -a "$(cat "$E2E_WORK/proxy-base.path")/." "$nroot/"
	ln -sf /bin/busybox "$nroot/usr/local/bin/ip"
	install -m 0755 "$k8s/kubectl" "$nroot/usr/local/bin/kubectl"
	install -m 0755 "$E2E_DIR/node/labcheck-net.sh" "$nroot/usr/local/bin/labcheck-net.sh"
	mkimage "$NET_IMAGE" "$nroot" "$dir/labcheck-net.tar" "{\"Env\": [$PATH_ENV]}" keep-owners
	rm -rf "$nroot"
	e2e_log "image $NET_IMAGE"
	touch "$dir/.done"
}

# The kind node image: a debootstrap bookworm tree with systemd, Debian's
# containerd/runc/CNI plugins, kind's own base files (from the kind module),
# the Kubernetes binaries, and the images above and the side-loaded ones
# (minio_tarball, curl_tarball) already in containerd's store.
build_node_image() {
	local kind_dir images base
	kind_dir=$(kind_module_dir)
	images=$(cat "$E2E_WORK/node-images.path")
	base=$(cat "$E2E_WORK/node-base.path")
	local key
	local sideloaded=("$MINIO_TAR" "$CURL_TAR") t
	for t in "${sideloaded[@]}"; do [ -f "$t.key" ] || e2e_die "missing $t"; done
	key=$(printf '%s\n' "$KIND_VERSION" "$images" "$base" "$(sha256sum "$E2E_DIR/env.sh" "$E2E_DIR/lib.sh" | cut -c1-64)" "$(cat "${sideloaded[@]/%/.key}")" | sha256sum | cut -c1-12)
	local tarball=$E2E_IMAGES/kind-node-$K8S_VERSION-$key.tar
	echo "$key" >"$E2E_WORK/node-key"
	if [ -f "$tarball" ]; then e2e_log "cached: $tarball"; echo "$tarball" >"$E2E_WORK/node-tar.path"; return; fi
	local root=$E2E_WORK/node-rootfs
	rm -rf "$root"
	cp -a "$base" "$root"
	local f=$kind_dir/images/base/files
	# kind's base image layout (see images/base/Dockerfile in the kind module)
	install -d -m 0755 "$root/kind" "$root/kind/bin" "$root/kind/manifests" "$root/LICENSES" "$root/etc/containerd" \
		"$root/etc/systemd/system/kubelet.service.d" "$root/etc/kubernetes/manifests" "$root/opt/cni/bin" "$root/etc/cni/net.d"
	install -m 0755 "$f"/usr/local/bin/* "$root/usr/local/bin/"
	install -m 0644 "$f"/kind/README.txt "$root/kind/"
	install -m 0755 "$f"/kind/bin/* "$root/kind/bin/"
	install -m 0644 "$f"/LICENSES/* "$root/LICENSES/"
	install -m 0644 "$f"/etc/crictl.yaml "$root/etc/"
	install -m 0644 "$f"/etc/default/kubelet "$root/etc/default/"
	install -m 0644 "$f"/etc/sysctl.d/* "$root/etc/sysctl.d/"
	local x
	for x in "$f"/etc/systemd/system/*; do
		if [ -f "$x" ]; then install -m 0644 "$x" "$root/etc/systemd/system/"; fi
	done
	install -m 0644 "$f"/etc/systemd/system/kubelet.service.d/* "$root/etc/systemd/system/kubelet.service.d/"
	# containerd: kind's config, with the pause image kubeadm asks for, and
	# restrict_oom_score_adj (runc cannot raise oom_score_adj without
	# CAP_SYS_RESOURCE, which this VM's bounding set lacks).
	local pause
	pause=$(cat "$images/.pause-image")
	sed -e "s#sandbox_image = .*#sandbox_image = \"$pause\"#" \
		-e 's/restrict_oom_score_adj = false/restrict_oom_score_adj = true/' \
		"$f/etc/containerd/config.toml" >"$root/etc/containerd/config.toml"
	grep -q "restrict_oom_score_adj = true" "$root/etc/containerd/config.toml" || e2e_die "containerd config: restrict_oom_score_adj not set"
	# kind's units expect containerd in /usr/local/bin; Debian's is in /usr/bin.
	ln -sf /usr/bin/containerd "$root/usr/local/bin/containerd"
	chroot "$root" /usr/bin/ctr oci spec |
		jq '.hooks.createContainer[.hooks.createContainer | length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' |
		jq 'del(.process.rlimits)' >"$root/etc/containerd/cri-base.json"
	# CNI plugins where containerd looks for them.
	cp -a "$root"/usr/lib/cni/. "$root/opt/cni/bin/"
	# The pod network: kind applies /kind/manifests/default-cni.yaml (our
	# labcheck-net DaemonSet; kindnetd is not on the module proxy), which
	# writes each node's CNI config from its podCIDR and routes between nodes.
	sed "s#LABCHECK_NET_IMAGE#$NET_IMAGE#" "$E2E_DIR/node/default-cni.yaml" >"$root/kind/manifests/default-cni.yaml"
	# Kubernetes binaries and version, crictl.
	local k8s=$E2E_BIN/kubernetes-$K8S_VERSION b
	for b in kubeadm kubelet kubectl; do install -m 0755 "$k8s/$b" "$root/usr/bin/$b"; done
	install -m 0755 "$E2E_BIN/crictl-$CRICTL_VERSION/crictl" "$root/usr/local/bin/crictl"
	printf '%s' "$K8S_VERSION" >"$root/kind/version"
	# Default storage: kind's own local-path-provisioner manifest, with local
	# image names.
	sed -n '/^const defaultStorageManifest = `/,/^`/p' "$kind_dir/pkg/build/nodeimage/const_storage.go" |
		sed -e '1d' -e '$d' \
			-e "s#\` + storageProvisionerImage + \`#$LPP_IMAGE#" \
			-e "s#\` + storageHelperImage + \`#$LPP_HELPER_IMAGE#" >"$root/kind/manifests/default-storage.yaml"
	grep -q "image: $LPP_IMAGE" "$root/kind/manifests/default-storage.yaml" || e2e_die "could not extract kind's storage manifest"
	# The cleanups and service set-up of kind's base image.
	find "$root/lib/systemd/system/sysinit.target.wants/" -name "systemd-tmpfiles-setup.service" -delete
	rm -f "$root"/lib/systemd/system/multi-user.target.wants/* "$root"/etc/systemd/system/*.wants/* \
		"$root"/lib/systemd/system/local-fs.target.wants/* "$root"/lib/systemd/system/sockets.target.wants/*udev* \
		"$root"/lib/systemd/system/sockets.target.wants/*initctl* "$root"/lib/systemd/system/basic.target.wants/*
	grep -q '^ReadKMsg=no' "$root/etc/systemd/journald.conf" || echo "ReadKMsg=no" >>"$root/etc/systemd/journald.conf"
	ln -sf /usr/lib/systemd/systemd "$root/sbin/init"
	chroot "$root" systemctl enable kubelet.service containerd.service undo-mount-hacks.service >/dev/null 2>&1
	chroot "$root" systemctl mask systemd-binfmt.service >/dev/null 2>&1
	rm -f "$root/etc/machine-id"
	: >"$root/etc/machine-id"
	# Pack it, then import the preloaded images into its containerd.
	tar --numeric-owner --xattrs -C "$root" -cf "$tarball.rootfs" .
	rm -rf "$root"
	# The images to bake, side by side: the node's own and the side-loaded
	# ones (hard links, all under $E2E_IMAGES).
	local bake=$E2E_IMAGES/bake-$key
	rm -rf "$bake"
	mkdir -p "$bake"
	ln "$images"/*.tar "${sideloaded[@]}" "$bake/"
	bake_node_images "$tarball.rootfs" "$bake" "$key" "$tarball.tmp"
	rm -rf "$bake"
	rm -f "$tarball.rootfs"
	mv "$tarball.tmp" "$tarball"
	echo "$tarball" >"$E2E_WORK/node-tar.path"
	# Drop older node tarballs: only the current key is ever used.
	find "$E2E_IMAGES" -maxdepth 1 -name "kind-node-*.tar" ! -name "$(basename "$tarball")" -delete
}

# bake_node_images ROOTFS IMAGES KEY OUT: the node root filesystem ROOTFS
# with the image tarballs in IMAGES imported into its containerd (k8s.io
# namespace) and unpacked into its overlayfs snapshotter, written to
# OUT. Both the content store's blobs and the unpacked snapshots live under
# /kind, linked from /var/lib/containerd; the snapshotter's metadata stays
# in /var. kind's own node-image build imports the images without
# unpacking them: every node then unpacks what it runs (kube-proxy and the
# pod network on every node, the control plane's images, MinIO wherever a
# member lands), 2.4 GB of files written per run and removed again with
# the cluster. An import at boot (NODE_RECIPE 4) hashed the same 680 MB
# again on every node while kubeadm started, and made a 5-node cluster
# 30-40 s slower to create on 2 cores. A container's own writable layer
# is still made in /var: an overlay mount may take its lower layers from
# the node's root filesystem (itself an overlay) but not its upper one.
bake_node_images() {
	local rootfs=$1 images=$2 key=$3 out=$4
	local tmp=labcheck.local/kind-node-unbaked:$key c
	docker import "$rootfs" "$tmp" >/dev/null
	c=$(docker run -d --privileged --security-opt seccomp=unconfined -v "$images:/kind/images:ro" --entrypoint /bin/sleep "$tmp" infinity) ||
		{ docker rmi "$tmp" >/dev/null; e2e_die "could not run the node image privileged to preload its images"; }
	# shellcheck disable=SC2016
	docker exec "$c" bash -c '
		set -eu
		containerd >/var/log/bake-containerd.log 2>&1 &
		pid=$!
		for i in $(seq 1 60); do ctr version >/dev/null 2>&1 && break; sleep 1; done
		# (Debian'"'"'s containerd 1.6 pins no images: its ctr has no --label
		# on import, and its CRI knows no pinned label.)
		for t in /kind/images/*.tar; do
			ctr --namespace=k8s.io images import --snapshotter=overlayfs "$t" >/dev/null
		done
		ctr --namespace=k8s.io images ls -q | grep -v "^sha256:"
		# Every image is unpacked, and nothing but its layers is left.
		ctr --namespace=k8s.io images check | awk "NR > 1 && \$NF != \"true\" { print; bad = 1 } END { exit bad }" ||
			{ echo "an image is not complete or not unpacked" >&2; exit 1; }
		ctr --namespace=k8s.io snapshots ls | awk "NR > 1 && \$NF != \"Committed\" { print; bad = 1 } END { exit bad }" ||
			{ echo "a snapshot other than an image layer is left" >&2; exit 1; }
		kill "$pid"
		wait "$pid" || true
		# Blobs and snapshots live outside /var: kind gives every node a fresh
		# /var volume, which Docker fills with a copy of the image'"'"'s /var (800
		# MB of blobs and as much unpacked, five times per cluster, removed
		# again with it).
		c=/var/lib/containerd/io.containerd.content.v1.content
		mv "$c" /kind/containerd-content
		ln -s /kind/containerd-content "$c"
		s=/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots
		mkdir /kind/containerd-snapshots
		for d in "$s"/*; do
			mv "$d" /kind/containerd-snapshots/
			ln -s "/kind/containerd-snapshots/${d##*/}" "$d"
		done
		rm -rf /run/containerd /var/log/bake-containerd.log /tmp/* /.dockerenv' >&2 ||
		{ docker rm -f -v "$c" >/dev/null; docker rmi "$tmp" >/dev/null; e2e_die "could not import the preloaded images into the node's containerd"; }
	docker stop --time 1 "$c" >/dev/null
	docker export "$c" >"$out"
	docker rm -f -v "$c" >/dev/null
	docker rmi "$tmp" >/dev/null
}

node_image() {
	docker_import "$NODE_IMAGE" "$(cat "$E2E_WORK/node-key")" "$(cat "$E2E_WORK/node-tar.path")" "${NODE_IMAGE_CHANGES[@]}"
}

# The images verify's offline recipe side-loads with --load-image: MinIO,
# and the curl a chart's test hook runs in place of curlimages/curl. Each is
# a docker-archive tarball, baked into the node image (build_node_image) and
# loaded into the Docker engine from the same bytes (load_tarball), so the
# image IDs match and labcheck verify finds them already in every node: it
# loads nothing. Side-loading them into five nodes took 24-49 s of every
# run on 2 cores.
minio_tarball() {
	local bin=$E2E_BIN/minio-$MINIO_MODULE_VERSION/minio
	local key
	key=$( (sha256sum "$bin" | cut -c1-64; sha256sum "$E2E_DIR/env.sh" | cut -c1-64) | sha256sum | cut -c1-12)
	local tarball=$MINIO_TAR
	if [ -f "$tarball.key" ] && [ "$(cat "$tarball.key")" = "$key" ]; then e2e_log "cached: $tarball"; return; fi
	binimage "$MINIO_IMAGE" "$tarball" \
		"{\"Env\": [$PATH_ENV], \"Entrypoint\": [\"/usr/bin/minio\"], \"ExposedPorts\": {\"9000/tcp\": {}, \"9001/tcp\": {}}, \"Labels\": {\"labcheck.e2e.key\": \"$key\"}}" \
		"$bin:/usr/bin/minio"
	echo "$key" >"$tarball.key"
}

# curl -fsS URL in a few lines of Go: the last argument is fetched; an HTTP
# error exits 22.
curl_tarball() {
	local src=$E2E_SRC/e2e-curl tarball=$CURL_TAR
	mkdir -p "$src"
	printf 'module curl\n\ngo 1.22\n' >"$src/go.mod"
	cat >"$src/main.go" <<'GO'
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

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
	local key
	key=$( (cat "$src/main.go"; go env GOVERSION; sha256sum "$E2E_DIR/env.sh" | cut -c1-64) | sha256sum | cut -c1-12)
	if [ -f "$tarball.key" ] && [ "$(cat "$tarball.key")" = "$key" ]; then e2e_log "cached: $tarball"; return; fi
	(cd "$src" && CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local go build -trimpath -o "$E2E_WORK/curl" .)
	binimage "$CURL_IMAGE" "$tarball" "{\"Env\": [\"PATH=/usr/bin\"], \"Labels\": {\"labcheck.e2e.key\": \"$key\"}}" "$E2E_WORK/curl:/usr/bin/curl"
	rm -f "$E2E_WORK/curl"
	echo "$key" >"$tarball.key"
}

# load_tarball IMAGE TARBALL: docker load, unless the engine holds the
# image of the tarball's key already.
load_tarball() {
	local image=$1 tarball=$2 key have old
	key=$(cat "$tarball.key")
	have=$(docker image inspect --format '{{index .Config.Labels "labcheck.e2e.key"}}' "$image" 2>/dev/null || true)
	if [ "$have" = "$key" ]; then e2e_log "cached: docker image $image ($key)"; return; fi
	old=$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
	docker load -i "$tarball" >/dev/null
	if [ -n "$old" ]; then docker rmi "$old" >/dev/null 2>&1 || true; fi
	e2e_log "docker image $image ($key)"
}

# A privileged container from the node image, as kind starts it: proves the
# engine can run kind's nodes (bookworm's 20.10 engine cannot here).
check_privileged() {
	local stamp=$E2E_CACHE/privileged.ok
	local id
	id=$(docker image inspect --format '{{.Id}}' "$NODE_IMAGE")
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$id $(docker_version)" ]; then e2e_log "cached: privileged run works"; return; fi
	docker run --rm --privileged --security-opt seccomp=unconfined --entrypoint /bin/true "$NODE_IMAGE" ||
		e2e_die "the Docker engine cannot run a privileged container"
	echo "$id $(docker_version)" >"$stamp"
}

# Compiles the smoke test (kind, client-go, minio-go) into the e2e build
# cache, so that `make e2e` and CI start at once.
prebuild_smoke_test() {
	(cd "$E2E_DIR" && gobuild_env && export GOFLAGS="-buildvcs=false -mod=readonly" &&
		nicebuild go test -tags e2e -c -o "$E2E_WORK/e2e.test" . && rm -f "$E2E_WORK/e2e.test")
}

write_ready() {
	cat >"$E2E_READY.tmp" <<EOF
# Written by test/e2e/env.sh: the offline kind environment is complete.
LABCHECK_E2E_NODE_IMAGE=$NODE_IMAGE
LABCHECK_E2E_NODE_KEY=$(cat "$E2E_WORK/node-key")
LABCHECK_E2E_NODE_RECIPE=$NODE_RECIPE
LABCHECK_E2E_NODE_TAR=$(cat "$E2E_WORK/node-tar.path")
LABCHECK_E2E_MINIO_IMAGE=$MINIO_IMAGE
LABCHECK_E2E_MINIO_TAR=$MINIO_TAR
LABCHECK_E2E_KUBECTL=$E2E_BIN/kubernetes-$K8S_VERSION/kubectl
LABCHECK_E2E_VERSIONS="$K8S_VERSION $ETCD_VERSION $COREDNS_VERSION $MINIO_MODULE_VERSION $KIND_VERSION"
EOF
	mv "$E2E_READY.tmp" "$E2E_READY"
}

images() {
	step "debootstrap node base ($DEBIAN_SUITE)" debootstrap_tree node-base "$NODE_BASE_PKGS"
	step "debootstrap kube-proxy base ($DEBIAN_SUITE)" debootstrap_tree proxy-base "$PROXY_BASE_PKGS"
	step "images preloaded in the node (control plane, CoreDNS, pause, local-path)" build_node_images
	step "image tarball $MINIO_IMAGE" minio_tarball
	step "image tarball $CURL_IMAGE" curl_tarball
	step "assemble node rootfs" build_node_image
	step "docker image $NODE_IMAGE" node_image
	step "docker image $MINIO_IMAGE" load_tarball "$MINIO_IMAGE" "$MINIO_TAR"
	step "docker image $CURL_IMAGE" load_tarball "$CURL_IMAGE" "$CURL_TAR"
	step "privileged node container check" check_privileged
	step "compile the smoke test" prebuild_smoke_test
	step "write $E2E_READY" write_ready
}

host() {
	step "host packages" host_packages
	step "host sysctls" host_sysctls
	step "Docker engine" host_docker
}

main() {
	case ${1:-all} in
	all) lock 8 bins; lock 9 images; host; bins; images ;;
	host) lock 9 images; host ;;
	bins) lock 8 bins; bins ;;
	images) lock 9 images; host; images ;;
	*) e2e_die "usage: env.sh [all|host|bins|images]" ;;
	esac
	e2e_log "done in $(($(date +%s) - TOTAL_START))s; cache: $E2E_CACHE ($(du -sh "$E2E_CACHE" 2>/dev/null | cut -f1))"
}
# One line, so that bash has read it whole before it runs: editing this file
# while it runs cannot change what it does next.
main "$@"; exit
