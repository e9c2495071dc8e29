#!/usr/bin/env bash
# Reproduces docs/benchmarks/: installs packages, builds kindred (RelWithDebInfo, Ninja) in build/
# (or $KINDRED_BUILD_DIR), runs every part of `kindred bench` on ../shared/data and on generated
# data into <build>/bench-results/, then writes docs/benchmarks/README.md, its charts and a copy
# of the raw results with scripts/bench-report. Datasets missing from ../shared/data are skipped
# with a note. Extra arguments go to `kindred bench`, e.g. `bash scripts/bench.sh --part import`
# re-measures one part (the others' earlier results in <build>/bench-results/ stay in the report).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

build="${KINDRED_BUILD_DIR:-build}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" --parallel "$(nproc 2>/dev/null || echo 2)" --target kindred

results="$build/bench-results"
"$build/kindred" bench --data ../shared/data --out "$results" "$@"
/usr/bin/python3 scripts/bench-report --results "$results" --out docs/benchmarks
