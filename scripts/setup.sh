#!/usr/bin/env bash
# Shared by ./run and ./test: installs the Debian packages Trellis builds with,
# when they are missing, on a fresh Debian 12 machine (as root). Idempotent.
set -euo pipefail

# The packages every build needs.
TRELLIS_BUILD_PACKAGES=(
  g++ cmake ninja-build ccache pkg-config
  libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libbenchmark-dev
  libsoci-dev libsqlite3-dev libpq-dev libboost1.74-dev
  libsodium-dev libspdlog-dev libssl-dev libkainjow-mustache-dev libxlsxwriter-dev zlib1g-dev wrk
)
# What ./test needs on top: GoogleTest, clang 16 for the libFuzzer targets
# and clang-tidy (clang 14's front end cannot read GCC 12's <expected>),
# PostgreSQL 15, Chromium for the browser journeys, and COIN-OR CBC, the
# exact solver the planner's test and benchmark compare it with.
TRELLIS_TEST_PACKAGES=(
  libgtest-dev libgmock-dev clang-16 libclang-rt-16-dev clang-tidy-16 clang-format
  postgresql-15 chromium coinor-cbc
)

# ensure_packages PKG...: apt-get installs whichever of PKG are not installed.
ensure_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  echo "setup: installing ${missing[*]}"
  local sudo=()
  if ((EUID != 0)); then
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# ensure_web_packages: Node.js and npm (Debian's, when there is no npm at
# all), then web/node_modules exactly as web/package-lock.json pins it: the
# GOV.UK Frontend components and Sass the pages are built with, Chart.js, and
# the browser tests' playwright-core and axe-core.
ensure_web_packages() {
  if ! command -v npm >/dev/null; then
    ensure_packages nodejs npm
  fi
  # Sass and playwright-core need Node.js 20 or later; Debian 12's own is 18.
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if ((major < 20)); then
    echo "setup: warning: Node.js $(node --version 2>/dev/null || echo missing) is older than 20," \
      "which Sass and playwright-core need; install Node.js 20 (e.g. from NodeSource)" >&2
  fi
  local web
  web=$(cd "$(dirname "${BASH_SOURCE[0]}")/../web" && pwd)
  local installed=$web/node_modules/.package-lock.json
  if [[ ! -e $installed || $web/package-lock.json -nt $installed ]]; then
    echo "setup: installing the web packages (npm ci in web/)"
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
