# Installing a test client's npm packages into the build tree. Sourced.
#   aw_npm_install SRC_DIR DEST_DIR MODULE
# Copies SRC_DIR's package.json and package-lock.json to DEST_DIR and runs
# `npm ci` there, only when DEST_DIR/node_modules/MODULE is missing or the lock
# file changed (so later runs work offline). A lock file lets several ctest
# jobs share one DEST_DIR.
aw_npm_install() {
  local src="$1" dest="$2" module="$3"
  mkdir -p "$dest"
  (
    flock 9
    if [ ! -d "$dest/node_modules/$module" ] || ! cmp -s "$src/package-lock.json" "$dest/package-lock.json"; then
      rm -rf "$dest/node_modules"
      cp "$src/package.json" "$src/package-lock.json" "$dest/"
      (cd "$dest" && timeout 300 npm ci --silent --no-audit --no-fund >/dev/null)
    fi
  ) 9>"$dest.lock"
}
