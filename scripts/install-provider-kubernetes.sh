#!/usr/bin/env bash
# Builds provider-kubernetes at the version tools/provider-kubernetes pins, for the end-to-end run of a
# StorageTenant whose target is a remote cluster, and copies its package source (crossplane.yaml and
# CRDs, which are not in the binary) out of the same module, so the control plane can install it as a
# Provider package. Cached per version under ~/.cache/stackplane/bin. Prints two lines last: the
# binary and the package folder.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/go-build.sh"

module=github.com/crossplane-contrib/provider-kubernetes
version=$(pinned_version "$root/tools/provider-kubernetes/go.mod" "$module")
provider_bin="$bin_dir/provider-kubernetes-$version"
package_dir="$bin_dir/provider-kubernetes-$version-package"

# The provider has no flag for its metrics address and controller-runtime's default is :8080, which
# Crossplane's RBAC manager always binds: the default is switched off at link time instead.
(cd "$root/tools/provider-kubernetes" && go_build "$provider_bin" "$module/cmd/provider" \
  "-X $module/internal/version.Version=$version -X sigs.k8s.io/controller-runtime/pkg/metrics/server.DefaultBindAddress=0")
if [[ ! -d "$package_dir" ]]; then
  source_dir=$(cd "$root/tools/provider-kubernetes" && go mod download -json "$module" |
    awk -F'"' '$2 == "Dir" { print $4 }')
  rm -rf "$package_dir.tmp"
  mkdir -p "$package_dir.tmp"
  cp "$source_dir/package/crossplane.yaml" "$package_dir.tmp/"
  cp -r "$source_dir/package/crds" "$package_dir.tmp/crds"
  chmod -R u+w "$package_dir.tmp"
  mv "$package_dir.tmp" "$package_dir"
fi
echo "$provider_bin"
echo "$package_dir"
