#!/usr/bin/env bash
# Runs one of this folder's node scripts with its packages (ws, yaml,
# smol-toml: package.json and its lockfile here), installed once with `npm ci`
# into DEPS_DIR in the build tree (ctest may start several of these at once).
#   run_node.sh DEPS_DIR SCRIPT.js [ARGS...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
deps="$1"
script="$2"
shift 2
mkdir -p "$deps"
(
  flock 9
  if [ ! -d "$deps/node_modules/yaml" ] || ! cmp -s "$here/package-lock.json" "$deps/package-lock.json"; then
    rm -rf "$deps/node_modules"
    cp "$here/package.json" "$here/package-lock.json" "$deps/"
    (cd "$deps" && npm ci --silent --no-audit --no-fund >/dev/null)
  fi
) 9>"$deps.lock"
NODE_PATH="$deps/node_modules" exec node "$here/$script" "$@"
