#!/usr/bin/env bash
# npm run e2e: builds the control plane's binaries (or finds them cached), then runs test/e2e on a
# real Crossplane control plane. Arguments go to vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-crossplane-cli.sh >/dev/null
bash scripts/install-kube-apiserver.sh >/dev/null
bash scripts/install-control-plane.sh >/dev/null
bash scripts/install-provider-kubernetes.sh >/dev/null
# The region's identity is a real Keystone (a cached Python virtual environment).
KEYSTONE_BIN=${KEYSTONE_BIN:-$(bash scripts/install-keystone.sh | tail -n 1)}
export KEYSTONE_BIN
# The binaries are there now: the tests must run, never skip.
export STACKPLANE_REQUIRE_CONTROL_PLANE=1 STACKPLANE_REQUIRE_KEYSTONE=1
# The control plane lives here; whatever ends the tests, every process it started is stopped by PID.
STACKPLANE_CONTROL_PLANE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/stackplane-e2e-XXXXXX")
export STACKPLANE_CONTROL_PLANE_DIR
# (A test file with a control plane of its own keeps it in a subfolder: test/e2e/upgrade.test.ts.)
stop_all() {
  find "$STACKPLANE_CONTROL_PLANE_DIR" -path '*/logs/pids' -exec awk '{ print $1 }' {} + |
    xargs -r kill 2>/dev/null || true
}
trap stop_all EXIT
trap "exit 143" INT TERM
npx vitest run --config vitest.e2e.config.ts "$@"
