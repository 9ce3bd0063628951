#!/usr/bin/env bash
# Builds what the end-to-end control plane adds to the test API server (scripts/install-kube-apiserver.sh):
# Crossplane core at the CLI's version (the same module, tools/go), kube-controller-manager from the
# pinned Kubernetes (tools/kube-apiserver: its garbage collector and service-account controllers), and
# helm (tools/helm), which renders the RBAC of the Crossplane Helm chart shipped in the crossplane module,
# crane (tools/go), whose registry serves the built packages to Crossplane's package manager, and
# kubectl (tools/kube-apiserver) for poking at a control plane kept up with npm run e2e:up.
# Cached per version under ~/.cache/stackplane/bin. Prints five lines last: crossplane,
# kube-controller-manager, helm, crane, kubectl. With STACKPLANE_CROSSPLANE_CORE=next, core is the
# newest release pinned in tools/crossplane-next instead (the CLI stays at tools/go's version).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/go-build.sh"

core_module=$root/tools/go
[[ "${STACKPLANE_CROSSPLANE_CORE:-}" == next ]] && core_module=$root/tools/crossplane-next
crossplane_version=$(pinned_version "$core_module/go.mod" github.com/crossplane/crossplane/v2)
kube_version=$(pinned_version "$root/tools/kube-apiserver/go.mod" k8s.io/kubernetes)
helm_version=$(pinned_version "$root/tools/helm/go.mod" helm.sh/helm/v3)
core_bin="$bin_dir/crossplane-core-$crossplane_version"
kcm_bin="$bin_dir/kube-controller-manager-$kube_version"
helm_bin="$bin_dir/helm-$helm_version"
crane_version=$(pinned_version "$root/tools/go/go.mod" github.com/google/go-containerregistry)
crane_bin="$bin_dir/crane-$crane_version"
kubectl_bin="$bin_dir/kubectl-$kube_version"

# Core reads its version from internal/version up to v2.3 and from crossplane-runtime's pkg/version
# since v2.4 (the linker ignores the one that does not exist); without it, core refuses every package
# whose crossplane.version constraint it cannot check ("invalid semantic version").
(cd "$core_module" && go_build "$core_bin" github.com/crossplane/crossplane/v2/cmd/crossplane \
  "-X github.com/crossplane/crossplane/v2/internal/version.version=$crossplane_version -X github.com/crossplane/crossplane-runtime/v2/pkg/version.version=$crossplane_version")
(cd "$root/tools/kube-apiserver" && go_build "$kcm_bin" k8s.io/kubernetes/cmd/kube-controller-manager \
  "$(kube_version_ldflags "$kube_version")")
(cd "$root/tools/helm" && go_build "$helm_bin" helm.sh/helm/v3/cmd/helm \
  "-X helm.sh/helm/v3/internal/version.version=$helm_version")
(cd "$root/tools/go" && go_build "$crane_bin" github.com/google/go-containerregistry/cmd/crane)
(cd "$root/tools/kube-apiserver" && go_build "$kubectl_bin" k8s.io/kubernetes/cmd/kubectl \
  "$(kube_version_ldflags "$kube_version")")
echo "$core_bin"
echo "$kcm_bin"
echo "$helm_bin"
echo "$crane_bin"
echo "$kubectl_bin"
