#!/usr/bin/env bash
# Installs dependencies, builds kindred in build/ (RelWithDebInfo, Ninja) with every core, and runs
# the whole test suite (unit tests + end-to-end boto3 tests) through CTest. Exits non-zero on any
# failure. Extra arguments go to ctest, e.g. `bash scripts/test.sh -L e2e` or `-R e2e.test_tags`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

jobs="$(nproc 2>/dev/null || echo 2)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build --parallel "$jobs"

# The e2e tests run their servers on free ports with temporary data dirs, so they can run in
# parallel; on small machines keep to the number of cores.
ctest --test-dir build --output-on-failure --parallel "$jobs" --timeout 600 "$@"
