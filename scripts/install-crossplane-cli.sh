#!/usr/bin/env bash
# Builds the crossplane CLI pinned in tools/go/go.mod from the Go module proxy.
# Crossplane v2's CLI renders in-process (no Docker needed with the Development runtime).
# The binary is cached per version under ~/.cache/stackplane/bin, so later runs reuse it.
# Prints the path of the binary on its last line.
set -euo pipefail
cd "$(dirname "$0")/../tools/go"
source ../../scripts/go-build.sh

version=$(pinned_version go.mod github.com/crossplane/crossplane/v2)
bin="$bin_dir/crossplane-$version"
go_build "$bin" github.com/crossplane/crossplane/v2/cmd/crank \
  "-X github.com/crossplane/crossplane/v2/internal/version.version=$version"
echo "$bin"
