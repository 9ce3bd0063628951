#!/usr/bin/env bash
# Builds the test Kubernetes API server and its etcd, pinned in tools/kube-apiserver/go.mod, from the
# Go module proxy. No Docker, no downloads beyond Go modules. The binaries are cached per version
# under ~/.cache/stackplane/bin, so later runs reuse them (a cold build takes long on 2 cores).
# Prints two lines last: the etcd path, then the kube-apiserver path.
set -euo pipefail
cd "$(dirname "$0")/../tools/kube-apiserver"

kube_version=$(awk '$1 == "k8s.io/kubernetes" { print $2; exit }' go.mod)
etcd_version=$(awk '$1 == "go.etcd.io/etcd/server/v3" { print $2; exit }' go.mod)
if [[ -z "$kube_version" || -z "$etcd_version" ]]; then
  echo "cannot find the kubernetes and etcd versions in tools/kube-apiserver/go.mod" >&2
  exit 1
fi
bin_dir="${XDG_CACHE_HOME:-$HOME/.cache}/stackplane/bin"
etcd_bin="$bin_dir/etcd-$etcd_version"
apiserver_bin="$bin_dir/kube-apiserver-$kube_version"
if ! command -v go >/dev/null; then
  echo "cannot build kube-apiserver and etcd: Go is not installed" >&2
  exit 1
fi
mkdir -p "$bin_dir"

# build <binary path> <package> [ldflags]: builds unless cached; writes atomically.
build() {
  local out=$1 pkg=$2 ldflags=${3:-}
  if [[ -x "$out" ]]; then
    echo "$(basename "$out"): cached" >&2
    return
  fi
  echo "$(basename "$out"): building from the Go module proxy" >&2
  local start=$SECONDS
  go build -trimpath -ldflags "-s -w $ldflags" -o "$out.tmp" "$pkg"
  mv "$out.tmp" "$out"
  echo "$(basename "$out"): built in $((SECONDS - start))s" >&2
}

build "$etcd_bin" ./etcd
kube_minor=${kube_version#v1.}
kube_minor=${kube_minor%%.*}
# kube-apiserver reports its version from these variables; without them it says v0.0.0, which
# version-gated clients and admission plugins misread.
build "$apiserver_bin" k8s.io/kubernetes/cmd/kube-apiserver \
  "-X k8s.io/component-base/version.gitVersion=$kube_version -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$kube_minor -X k8s.io/component-base/version.gitTreeState=clean"

echo "$etcd_bin"
echo "$apiserver_bin"
