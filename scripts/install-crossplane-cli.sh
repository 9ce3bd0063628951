#!/usr/bin/env bash
# Builds the crossplane CLI pinned in tools/go/go.mod from the Go module proxy.
# Crossplane v2's CLI renders in-process (no Docker needed with the Development runtime).
# The binary is cached per version under ~/.cache/stackplane/bin, so later runs reuse it.
# Prints the path of the binary on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(awk '$1 == "github.com/crossplane/crossplane/v2" { print $2; exit }' tools/go/go.mod)
if [[ -z "$version" ]]; then echo "cannot find the crossplane version in tools/go/go.mod" >&2; exit 1; fi
bin_dir="${XDG_CACHE_HOME:-$HOME/.cache}/stackplane/bin"
bin="$bin_dir/crossplane-$version"

if [[ -x "$bin" ]]; then
  echo "crossplane CLI $version: cached" >&2
  echo "$bin"
  exit 0
fi
if ! command -v go >/dev/null; then
  echo "cannot build the crossplane CLI: Go is not installed" >&2
  exit 1
fi

echo "crossplane CLI $version: building from the Go module proxy (a few minutes on 2 cores)" >&2
mkdir -p "$bin_dir"
(
  cd tools/go
  go build -trimpath \
    -ldflags "-s -w -X github.com/crossplane/crossplane/v2/internal/version.version=$version" \
    -o "$bin.tmp" github.com/crossplane/crossplane/v2/cmd/crank
)
mv "$bin.tmp" "$bin"
echo "$bin"
