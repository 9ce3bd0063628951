#!/usr/bin/env bash
# npm run e2e: builds the control plane's binaries (or finds them cached), then runs test/e2e on a
# real Crossplane control plane. Arguments go to vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-crossplane-cli.sh >/dev/null
bash scripts/install-kube-apiserver.sh >/dev/null
bash scripts/install-control-plane.sh >/dev/null
# The binaries are there now: the tests must run, never skip.
export STACKPLANE_REQUIRE_CONTROL_PLANE=1
exec npx vitest run --config vitest.e2e.config.ts "$@"
