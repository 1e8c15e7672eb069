#!/usr/bin/env bash
# Shared by ./run and ./test: installs the Debian packages Trellis builds with,
# when they are missing, on a fresh Debian 12 machine (as root). Idempotent.
set -euo pipefail

# The packages every build needs.
TRELLIS_BUILD_PACKAGES=(
  g++ cmake ninja-build ccache pkg-config
  libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libbenchmark-dev
  libsoci-dev libsqlite3-dev libpq-dev libboost1.74-dev
  libsodium-dev libspdlog-dev libssl-dev wrk
)
# What ./test needs on top: GoogleTest, and clang 16 for the libFuzzer targets
# and clang-tidy (clang 14's front end cannot read GCC 12's <expected>).
TRELLIS_TEST_PACKAGES=(
  libgtest-dev libgmock-dev clang-16 libclang-rt-16-dev clang-tidy-16 clang-format
  postgresql-15
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
