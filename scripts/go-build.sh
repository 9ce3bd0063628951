#!/usr/bin/env bash
# Shared by the install scripts: builds Go binaries from the Go module proxy into a cache folder that
# is kept per version, so each binary is built once per machine and version. Source it, don't run it.

# The cache folder of Go-built binaries.
bin_dir="${XDG_CACHE_HOME:-$HOME/.cache}/stackplane/bin"

# pinned_version <go.mod> <module>: the version go.mod requires of module.
pinned_version() {
  local version
  # In a require block, or a one-line `require module version`.
  version=$(awk -v m="$2" '$1 == m { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' "$1")
  if [[ -z "$version" ]]; then echo "cannot find the $2 version in $1" >&2; return 1; fi
  echo "$version"
}

# go_build <binary path> <package> [ldflags]: builds package in the current module unless the binary
# is cached; writes atomically, so an interrupted build never leaves a broken binary behind.
go_build() {
  local out=$1 pkg=$2 ldflags=${3:-}
  if [[ -x "$out" ]]; then
    echo "$(basename "$out"): cached" >&2
    return
  fi
  if ! command -v go >/dev/null; then
    echo "cannot build $(basename "$out"): Go is not installed" >&2
    return 1
  fi
  mkdir -p "$(dirname "$out")"
  echo "$(basename "$out"): building from the Go module proxy" >&2
  local start=$SECONDS
  go build -trimpath -ldflags "-s -w $ldflags" -o "$out.tmp" "$pkg"
  mv "$out.tmp" "$out"
  echo "$(basename "$out"): built in $((SECONDS - start))s" >&2
}

# kube_version_ldflags <version>: what Kubernetes binaries report as their version; without it they
# say v0.0.0, which version-gated clients and admission plugins misread.
kube_version_ldflags() {
  local minor=${1#v1.}
  minor=${minor%%.*}
  echo "-X k8s.io/component-base/version.gitVersion=$1 -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
}
