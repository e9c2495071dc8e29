#!/usr/bin/env bash
# Builds kindred with AddressSanitizer + UndefinedBehaviorSanitizer in build-asan/ and runs the
# whole suite against it (unit tests, and the end-to-end suite driving the sanitized server), so
# memory errors and undefined behaviour on any tested path fail the run. Used by .ci/run after
# scripts/test.sh; run it yourself the same way.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

jobs="$(nproc 2>/dev/null || echo 2)"
# -O1 -g1 rather than RelWithDebInfo's -O2 -g: the sanitizer build compiles about 2.5 times as
# fast (Boost.Beast's templates dominate), which keeps .ci/run well inside its 30 minutes, and
# the reports keep their file:line stack traces.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKINDRED_SANITIZE=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG"
cmake --build build-asan --parallel "$jobs"

export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
ctest --test-dir build-asan --output-on-failure --parallel "$jobs" --timeout 900 "$@"
