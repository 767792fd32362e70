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
source "$here/../../scripts/lib/node_deps.sh"
aw_npm_install "$here" "$deps" yaml
NODE_PATH="$deps/node_modules" exec node "$here/$script" "$@"
