# Shared by scripts/run and scripts/test: install what is missing, then build.
# Sourced, not run.

AW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
AW_BUILD="${AW_BUILD:-$AW_ROOT/build}"

AW_APT_PACKAGES=(
  cmake g++ make pkg-config
  libcaf-dev libcaf-openssl0.17 libwebsocketpp-dev libasio-dev rapidjson-dev
  libgnuplot-iostream-dev gnuplot-nox fonts-dejavu-core
  libboost-iostreams-dev libboost-filesystem-dev
  doctest-dev libpng-dev libssl-dev openssl libcurl4-openssl-dev
  librsvg2-dev libdeflate-dev libcairo2-dev
  clang libclang-rt-14-dev
  libsqlite3-dev libpq-dev
)

# Only the test suite needs these (scripts/test adds them): a real PostgreSQL
# server for the store tests, Chromium for the browser test, nginx for
# `nginx -t` on the deploy config.
AW_TEST_APT_PACKAGES=(
  postgresql chromium nginx-light
)

aw_log() { echo "[agentwire] $*" >&2; }

aw_install_packages() {
  local missing=()
  for p in "${AW_APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ! command -v node >/dev/null 2>&1; then missing+=(nodejs npm); fi
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    aw_log "missing Debian packages: ${missing[*]}"
    aw_log "run this command as root (it installs them with apt-get), or install them yourself"
    exit 1
  fi
  aw_log "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

aw_build() {
  local jobs
  jobs="$(nproc 2>/dev/null || echo 2)"
  # Line tables only (-g1): stack traces keep file and line, and the build
  # takes about a quarter less time than with full debug information.
  cmake -S "$AW_ROOT" -B "$AW_BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" "$@" >/dev/null
  cmake --build "$AW_BUILD" -j "$jobs"
}
