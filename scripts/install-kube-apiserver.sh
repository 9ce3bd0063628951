#!/usr/bin/env bash
# Builds the test Kubernetes API server and its etcd, pinned in tools/kube-apiserver/go.mod, from the
# Go module proxy. No Docker, no downloads beyond Go modules. The binaries are cached per version
# under ~/.cache/stackplane/bin, so later runs reuse them (a cold build takes long on 2 cores).
# Prints two lines last: the etcd path, then the kube-apiserver path.
set -euo pipefail
cd "$(dirname "$0")/../tools/kube-apiserver"
source ../../scripts/go-build.sh

kube_version=$(pinned_version go.mod k8s.io/kubernetes)
etcd_version=$(pinned_version go.mod go.etcd.io/etcd/server/v3)
etcd_bin="$bin_dir/etcd-$etcd_version"
apiserver_bin="$bin_dir/kube-apiserver-$kube_version"

go_build "$etcd_bin" ./etcd
go_build "$apiserver_bin" k8s.io/kubernetes/cmd/kube-apiserver "$(kube_version_ldflags "$kube_version")"
echo "$etcd_bin"
echo "$apiserver_bin"
