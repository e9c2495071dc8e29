#!/usr/bin/env bash
# Measures serving (docs/benchmarks/serving.md): the in-process latency of Recommender::Recommend
# (serving_bench, a Google Benchmark), GetRecommendations and PutEvents throughput over HTTP
# keep-alive against the real `kindred serve` (wrk replaying requests pre-signed with SigV4), and
# the delay from a PutEvents response to its effect on the next GetRecommendations.
#
#   bash scripts/bench-serving.sh                 # everything, into <build>/bench-serving/
#   PARTS="http events" REPEATS=5 bash scripts/bench-serving.sh
#
# Environment (defaults in brackets): KINDRED_BUILD_DIR [build]; PARTS [inprocess http events
# delay]; REPEATS, runs per wrk configuration [3]; DURATION, seconds per run [10];
# CONNECTIONS [1 2 4 8 16 32 64]; EVENT_CONNECTIONS [1 16 64 128]; THREADS, the server's
# --threads [the cores]; ITEMS [25000]; PORT [18080]; KINDRED_BIN, a kindred binary to serve with
# instead of building <build>/kindred (e.g. a copy of an earlier build, for before/after runs;
# results still go under <build>). The campaign is set up once per build folder
# (<build>/bench-serving/state.json); delete that folder to start again. Results: wrk.jsonl,
# summary.md, delay.json and serving_bench.json beside it.
set -euo pipefail
cd "$(dirname "$0")/.."

build="${KINDRED_BUILD_DIR:-build}"
parts="${PARTS:-inprocess http events delay}"
repeats="${REPEATS:-3}"
duration="${DURATION:-10}"
connections="${CONNECTIONS:-1 2 4 8 16 32 64}"
event_connections="${EVENT_CONNECTIONS:-1 16 64 128}"
threads="${THREADS:-$(nproc)}"
items="${ITEMS:-25000}"
port="${PORT:-18080}"
key=AKIDBENCHSERVING
secret=bench-serving-secret
endpoint="http://127.0.0.1:$port"
helper=(/usr/bin/python3 scripts/bench-serving.py --endpoint "$endpoint" --key "$key"
        --secret "$secret")

bash scripts/install-deps.sh
targets=()
[ -z "${KINDRED_BIN:-}" ] && targets+=(kindred)
[[ " $parts " == *" inprocess "* ]] && targets+=(serving_bench)
if [ ${#targets[@]} -gt 0 ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" --target "${targets[@]}"
fi
kindred="${KINDRED_BIN:-$build/kindred}"

out="$build/bench-serving"
mkdir -p "$out"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/Mem:/ {print $2}') GiB; load average $(cut -d' ' -f1-3 /proc/loadavg);" \
  "server $kindred" | tee "$out/machine.txt"

if [[ " $parts " == *" inprocess "* ]]; then
  echo "== in process: $build/src/serving/serving_bench (trains three models first)"
  "$build/src/serving/serving_bench" --benchmark_repetitions="$repeats" \
    --benchmark_report_aggregates_only=true --benchmark_out="$out/serving_bench.json" \
    --benchmark_out_format=json
fi

server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
trap stop_server EXIT
start_server() {  # $1: --threads
  stop_server
  "$kindred" serve --data-dir "$out/data" --port "$port" --access-key-id "$key" \
    --secret-access-key "$secret" --threads "$1" >>"$out/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "the server did not start; see $out/server.log" >&2
  exit 1
}

start_server "$threads"
"${helper[@]}" setup --state "$out/state.json" --s3-root "$out/data/s3" --items "$items"

# wrk with fresh signatures (they expire after 15 minutes); prints its RESULT line.
wrk_result() {  # $1: kind (recommendations, popularity, events), $2: connections, $3: seconds
  "${helper[@]}" wrk --state "$out/state.json" --kind "$1" --count 500 --out "$out/$1.lua"
  wrk -t1 -c"$2" -d"$3"s --timeout 10s -s "$out/$1.lua" "$endpoint" | grep '^RESULT '
}
# CPU time (user + system, in clock ticks) the server has used so far.
server_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
# The same, appended to wrk.jsonl with what was measured and the server's CPU seconds meanwhile
# (which, unlike throughput, other processes on the machine hardly change).
run_wrk() {
  local result before after cpu
  before=$(server_ticks)
  result=$(wrk_result "$@")
  after=$(server_ticks)
  cpu=$(awk -v t="$((after - before))" -v hz="$(getconf CLK_TCK)" 'BEGIN {print t / hz}')
  result=${result#RESULT }
  echo "{\"kind\": \"$1\", \"threads\": $threads, \"connections\": $2," \
    "\"server_cpu_s\": $cpu, ${result#\{}" | tee -a "$out/wrk.jsonl"
}

if [[ " $parts " == *" http "* || " $parts " == *" events "* ]]; then
  : >"$out/wrk.jsonl"
  # Waits for the group's state and the models to load, then warms up.
  "${helper[@]}" delay --state "$out/state.json" --samples 5 >/dev/null
  wrk_result recommendations 2 3 >/dev/null
  wrk_result popularity 2 3 >/dev/null
fi
if [[ " $parts " == *" http "* ]]; then
  echo "== GetRecommendations over HTTP ($repeats x ${duration}s per point)"
  for kind in recommendations popularity; do
    for c in $connections; do
      for _ in $(seq "$repeats"); do run_wrk "$kind" "$c" "$duration"; done
    done
  done
fi
if [[ " $parts " == *" events "* ]]; then
  echo "== PutEvents over HTTP, 10 events per request"
  for c in $event_connections; do
    for _ in $(seq "$repeats"); do run_wrk events "$c" "$duration"; done
  done
fi
if [[ -s "$out/wrk.jsonl" ]]; then
  "${helper[@]}" table --results "$out/wrk.jsonl" | tee "$out/summary.md"
fi
if [[ " $parts " == *" delay "* ]]; then
  echo "== event to effect: PutEvents response -> the next GetRecommendations"
  "${helper[@]}" delay --state "$out/state.json" --samples 300 | tee "$out/delay.json"
  echo "== the same while 16 connections put events"
  "${helper[@]}" wrk --state "$out/state.json" --kind events --count 500 --out "$out/load.lua"
  wrk -t1 -c16 -d60s -s "$out/load.lua" "$endpoint" >/dev/null &
  load_pid=$!
  sleep 1
  "${helper[@]}" delay --state "$out/state.json" --samples 300 | tee -a "$out/delay.json"
  kill "$load_pid" 2>/dev/null || true
  wait "$load_pid" 2>/dev/null || true
fi
echo "results in $out"
