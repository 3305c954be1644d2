#!/usr/bin/env bash
# Bounded load test of `heft serve` on loopback: POST /api/estimate (llama-3-8b, context 8192) with wrk for a fixed
# duration and connection count, then GET with the same options; writes requests/s, latency percentiles and error
# counts to bench/RESULTS-serve.md. Needs wrk (apt-get install -y wrk) and JDK 25 (the ./heft launcher builds the jar).
#   bench/serve-load.sh [seconds per run, default 20] [connections, default 16]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
connections="${2:-16}"
port="${HEFT_LOAD_PORT:-18099}"
command -v wrk >/dev/null || { echo "serve-load: wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }

log="$(mktemp)"
lua="$(mktemp --suffix=.lua)"
./heft serve --port "$port" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$log" "$lua"' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/api/catalog" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$port/api/catalog" >/dev/null || { cat "$log" >&2; echo "serve-load: server did not start" >&2; exit 1; }

body='{"model":"llama-3-8b","context":8192}'
cat >"$lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA
expected="$(curl -fs -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/api/estimate")"
echo "$expected" | grep -q '"parameters":8030261248' || { echo "serve-load: unexpected answer: $expected" >&2; exit 1; }

# Warm-up (JIT) is not recorded.
wrk -t2 -c"$connections" -d5s -s "$lua" "http://127.0.0.1:$port/api/estimate" >/dev/null
post="$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$lua" "http://127.0.0.1:$port/api/estimate")"
get="$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port/api/estimate?model=llama-3-8b&context=8192")"

summarise() { # wrk output -> "req/s | p50 | p99 | non-2xx | socket errors"
  local out="$1"
  local rps p50 p99 non2xx sock
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  non2xx="$(awk '/Non-2xx/ {print $NF}' <<<"$out")"
  sock="$(awk '/Socket errors/ {print $0}' <<<"$out" | sed 's/.*Socket errors: //')"
  echo "| $rps | $p50 | $p99 | ${non2xx:-0} | ${sock:-none} |"
}

{
  echo "# heft serve load test"
  echo
  echo "Written by \`bench/serve-load.sh $seconds $connections\` on $(date -u +%Y-%m-%dT%H:%M:%SZ)."
  echo "wrk, 2 threads, $connections connections, ${seconds} s per run after a 5 s warm-up, loopback, one \`heft serve\`"
  echo "JVM (default pool: one worker per core). Machine: $(nproc) cores, load average before the run:"
  echo "$(cut -d' ' -f1-3 /proc/loadavg) (this machine is shared with other engineers' builds, so the numbers are"
  echo "depressed by whatever else was running; wrk itself also shares the same 2 cores)."
  echo
  echo "Request: \`/api/estimate\` for llama-3-8b at context 8192 (the full heft.estimate/1 object, ~1.5 KB)."
  echo
  echo "| request | requests/s | p50 | p99 | non-2xx | socket errors |"
  echo "|---|---|---|---|---|---|"
  echo "| POST JSON body $(summarise "$post")"
  echo "| GET query $(summarise "$get")"
  echo
  echo "Raw wrk output (POST):"
  echo
  echo '```text'
  echo "$post"
  echo '```'
} > bench/RESULTS-serve.md
cat bench/RESULTS-serve.md
