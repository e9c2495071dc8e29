#!/usr/bin/env bash
# Installs every Debian 12 package that building, testing and the demo need. Idempotent: when all
# packages are present it does nothing (no apt-get update, no network). Uses sudo only when not
# root. apt's chatter goes to a log file that is printed only when something fails.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config
  # libraries (see the find_package calls in CMakeLists.txt)
  libboost-dev libboost-system-dev libboost-context-dev
  librocksdb-dev libsnappy-dev liblz4-dev libzstd-dev libbz2-dev zlib1g-dev
  nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev libssl-dev
  # the kindred binary's allocator
  libjemalloc-dev
  # unit tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # end-to-end tests and demo: Debian's boto3 under /usr/bin/python3
  python3 python3-boto3 python3-botocore
  # benchmark report charts (scripts/bench-report)
  python3-matplotlib
  # HTTP load generator of scripts/bench-serving.sh
  wrk
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: not root and no sudo" >&2; exit 1; }
  SUDO=(sudo)
fi

log="$(mktemp -t kindred-install-deps.XXXXXX.log)"
echo "install-deps: installing ${missing[*]} (log: $log)"
export DEBIAN_FRONTEND=noninteractive
if ! { "${SUDO[@]}" apt-get update -q &&
       "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
         --no-install-recommends "${PACKAGES[@]}"; } >"$log" 2>&1 </dev/null; then
  echo "install-deps: apt-get failed; its output:" >&2
  cat "$log" >&2
  exit 1
fi
rm -f "$log"
echo "install-deps: done"
