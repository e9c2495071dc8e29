#!/usr/bin/env bash
# kindred demo: installs dependencies, builds, starts `kindred serve` in the background on the
# embedded store (data dir .kindred-demo/, port $KINDRED_DEMO_PORT or 8080), then runs
# scripts/demo.py, which generates a small seeded dataset and loads it through boto3.
#
# Re-running is safe: a previous demo server (found through .kindred-demo/kindred.pid) is stopped
# first and restarted on the same data dir, so its generated keys stay the same; demo.py then
# replaces the old `kindred-demo` dataset group with DeleteResourceTree. For a clean slate:
# stop the server and `rm -rf .kindred-demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
data_dir="$root/.kindred-demo"
port="${KINDRED_DEMO_PORT:-8080}"
pid_file="$data_dir/kindred.pid"
log="$data_dir/server.log"

bash scripts/install-deps.sh

echo "demo: building kindred (build/, RelWithDebInfo) ..."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target kindred --parallel "$(nproc 2>/dev/null || echo 2)"

mkdir -p "$data_dir"
if [ -f "$pid_file" ]; then
  old="$(cat "$pid_file")"
  if [ -n "$old" ] && kill -0 "$old" 2>/dev/null &&
     grep -q kindred "/proc/$old/cmdline" 2>/dev/null; then
    echo "demo: stopping the previous demo server (PID $old)"
    kill -TERM "$old"
    for _ in $(seq 1 100); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$old" 2>/dev/null; then kill -KILL "$old"; fi
  fi
  rm -f "$pid_file"
fi

echo "demo: starting kindred on 127.0.0.1:$port (log: $log)"
: >"$log"
# No keys on the command line: on its first start the server generates a pair and stores it in
# $data_dir/credentials.json, which demo.py reads.
nohup setsid build/kindred serve --data-dir "$data_dir" --address 127.0.0.1 --port "$port" \
  >>"$log" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$pid_file"

for _ in $(seq 1 300); do
  if grep -q "kindred listening on" "$log"; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "demo: kindred exited during start-up; its log:" >&2
    cat "$log" >&2
    rm -f "$pid_file"
    exit 1
  fi
  sleep 0.1
done
endpoint="$(grep -o "kindred listening on http://[^ ]*" "$log" | head -1 | sed 's/kindred listening on //')"
if [ -z "$endpoint" ]; then
  echo "demo: kindred did not report 'listening' within 30 s; its log:" >&2
  cat "$log" >&2
  exit 1
fi

/usr/bin/python3 scripts/demo.py --endpoint "$endpoint" --data-dir "$data_dir" --pid "$pid"
