#!/usr/bin/env bash
# Installs the real OpenStack Identity (Keystone) the tests run against, pinned in
# tools/keystone/requirements.txt (every dependency pinned in constraints.txt), into a Python virtual
# environment from the Python package registry.
# The environment is cached per version under ~/.cache/stackplane/keystone, so later runs reuse it.
# Prints one line last: the environment's bin folder (keystone-manage, gunicorn).
set -euo pipefail
cd "$(dirname "$0")/../tools/keystone"

version=$(sed -n 's/^keystone==\(.*\)$/\1/p' requirements.txt)
if [[ -z "$version" ]]; then echo "cannot find the keystone version in tools/keystone/requirements.txt" >&2; exit 1; fi
venv="${XDG_CACHE_HOME:-$HOME/.cache}/stackplane/keystone/keystone-$version"

if cat requirements.txt constraints.txt | cmp -s - "$venv/installed-requirements.txt"; then
  echo "keystone-$version: cached" >&2
  echo "$venv/bin"
  exit 0
fi
if ! command -v python3 >/dev/null; then
  echo "cannot install keystone-$version: python3 is not installed (apt-get install python3 python3-venv)" >&2
  exit 1
fi
if ! python3 -m venv --help >/dev/null 2>&1; then
  echo "cannot install keystone-$version: python3 has no venv module (apt-get install python3-venv)" >&2
  exit 1
fi
echo "keystone-$version: installing from the Python package registry" >&2
start=$SECONDS
# A virtual environment's scripts name its interpreter by absolute path, so it is built where it lives;
# the marker file is written last, so an interrupted install is never taken for a cached one.
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
cat requirements.txt constraints.txt >"$venv/installed-requirements.txt"
echo "keystone-$version: installed in $((SECONDS - start))s" >&2
echo "$venv/bin"
