#!/usr/bin/env bash
# Load and abuse test of `heft serve` as users run it (issues 12 and 16): the ./heft launcher starts the server (with
# its own JVM flags: -Xmx2g, ZGC) on a free loopback port; bench/ServeLoad.java (JDK classes only, run by the source
# launcher) drives it. Four recorded runs of SECONDS each, after a 5 s warm-up:
#   1. saturating: CONNECTIONS keep-alive connections sending POST /api/estimate back to back, plus LORIS slow-loris
#      connections and ABUSE connections going round the other endpoints and hostile requests (each checked for its
#      status), plus one probe stream (one request every 50 ms: the latency issue 16 bounds, p99 < 50 ms);
#   2. paced: the same, each load connection sending one request every PACE ms;
#   3. paced with BIG connections uploading a 94 MB header again and again (the heavy lane and the heap bound);
#   4. throughput: THROUGHPUT connections back to back, estimate only (issue 12: >= 5k req/s with p99 < 20 ms).
# Records latencies, errors, the CPU of the server and of the load generator (they share the cores), the server's
# RSS and peak RSS, `uptime` before each run, checks the server still answers, and writes bench/RESULTS-serve.md.
# No installs: JDK 25 and curl.
#   bench/serve-load.sh [seconds 30] [connections 200] [loris 50] [pace ms 200] [abuse 8] [big 2] [throughput 32]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
heft_find_jdk25
seconds="${1:-30}"
connections="${2:-200}"
loris="${3:-50}"
pace="${4:-200}"
abuse="${5:-8}"
big="${6:-2}"
throughput="${7:-32}"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

tmp="$(mktemp -d)"
./heft serve --port "$port" >"$tmp/log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 1 240); do
  curl -fs "http://127.0.0.1:$port/api/catalog" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$port/api/catalog" >/dev/null || { cat "$tmp/log" >&2; echo "serve-load: server did not start" >&2; exit 1; }
# The JVM under ./heft is the launcher itself after exec (or its child): the java process listening on this port.
jvm="$(pgrep -P "$server" java || echo "$server")"
flags="$(tr '\0' ' ' <"/proc/$jvm/cmdline" | grep -o -- '-XX:+Use[A-Za-z]*GC\|-Xmx[0-9a-zA-Z]*' | tr '\n' ' ')"
tick="$(getconf CLK_TCK)"
cpu() { awk -v t="$tick" '{printf "%.1f", ($14 + $15) / t}' "/proc/$jvm/stat"; }
mem() { awk '/^'"$1"':/ {printf "%d MB", $2 / 1024}' "/proc/$jvm/status"; }
heap() { "$JAVA_HOME/bin/jcmd" "$jvm" GC.heap_info 2>/dev/null | grep -m1 -o 'used [0-9]*M, capacity [0-9]*M' || echo "?"; }

# run NAME ServeLoad-args...: one recorded run; its output and figures go to $tmp/NAME.*
run() {
  local name="$1"; shift
  uptime | sed 's/^ *//' >"$tmp/$name.uptime"
  local c0; c0="$(cpu)"
  "$JAVA_HOME/bin/java" bench/ServeLoad.java "$port" "$@" >"$tmp/$name.out"
  awk -v a="$c0" -v b="$(cpu)" 'BEGIN {printf "%.1f", b - a}' >"$tmp/$name.cpu"
  mem VmRSS >"$tmp/$name.rss"
  heap >"$tmp/$name.heap"
  curl -fs -o /dev/null -w '%{http_code} in %{time_total} s' "http://127.0.0.1:$port/api/catalog" >"$tmp/$name.health" \
    || echo failed >"$tmp/$name.health"
}

# Warm-up (JIT), not recorded: 5 s of the load without the abuse.
"$JAVA_HOME/bin/java" bench/ServeLoad.java "$port" 5 "$connections" 0 >/dev/null
rss_start="$(mem VmRSS)"
run saturating "$seconds" "$connections" "$loris" 0 "$abuse" 0
run paced "$seconds" "$connections" "$loris" "$pace" "$abuse" 0
run big "$seconds" "$connections" "$loris" "$pace" "$abuse" "$big"
run throughput "$seconds" "$throughput" 0 0 0 0
estimate="$(curl -fs -H 'Content-Type: application/json' -d '{"model":"llama-3-8b","context":8192}' \
  "http://127.0.0.1:$port/api/estimate" | grep -o -m1 '"parameters":8030261248' | head -1 || echo failed)"
peak="$(mem VmHWM)"

get() { awk -F= -v k="$1" '$1==k {print $2; exit}' "$tmp/$2.out"; }
row() { # name, label
  echo "| $2 | $(get load_requests "$1") | $(get load_rps "$1") | $(get load_p50_ms "$1") | $(get load_p99_ms "$1") | $(get load_max_ms "$1") | $(get probe_p50_ms "$1") | $(get probe_p99_ms "$1") | $(get probe_max_ms "$1") | $(get errors "$1") | $(get abuse_requests "$1") ($(get abuse_busy_503 "$1") busy) | $(get loris_cut_by_server "$1") | $(cat "$tmp/$1.cpu") s | $(awk '{printf "%.1f", $1 / 1000}' <<<"$(get client_cpu_ms "$1")") s | $(cat "$tmp/$1.rss") |"
}

# Notes written by hand below this marker line (comparisons, explanations) are kept when the file is rewritten.
marker='<!-- notes below are kept by bench/serve-load.sh -->'
notes="$(awk -v m="$marker" 'f || $0 == m {f = 1; print}' bench/RESULTS-serve.md 2>/dev/null || true)"
{
  echo "# heft serve under load and abuse"
  echo
  echo "Written by \`bench/serve-load.sh $seconds $connections $loris $pace $abuse $big $throughput\` on $(date -u +%Y-%m-%dT%H:%M:%SZ):"
  echo "\`./heft serve\` (JVM flags from the launcher: \`$flags\`; default limits: one cheap worker per core,"
  echo "one heavy worker, 512 connections, 10 s header deadline) on loopback, driven by \`bench/ServeLoad.java\` for"
  echo "$seconds s per run after a 5 s warm-up. Machine: $(nproc) cores; the load generator runs on the same cores as"
  echo "the server (its CPU is the \"client CPU\" column), and other jobs may share them (\`uptime\` below)."
  echo
  echo "- load: keep-alive connections sending \`POST /api/estimate\` (llama-3-8b, context 8192), back to back"
  echo "  (saturating: a closed loop, so latency is mostly queueing behind the other connections, about"
  echo "  connections / throughput) or one request every $pace ms each (paced)."
  echo "- probe: one more connection sending the same request every 50 ms: the stream whose p99 issue 16 bounds (< 50 ms)."
  echo "- abuse: $loris slow-loris connections (a head trickled a byte a second) and $abuse connections going round the"
  echo "  other endpoints and hostile requests, each checked for its status (\`abuse_case\` lines below)."
  echo "- big: $big connections uploading a 94 MB safetensors header of 900,000 tensors to \`/api/inspect-header\` again"
  echo "  and again (\`Expect: 100-continue\`; 200 or 503 with Retry-After are right)."
  echo
  echo "| run | load requests | load req/s | load p50 ms | load p99 ms | load max ms | probe p50 ms | probe p99 ms | probe max ms | errors | abuse requests | loris cut | server CPU | client CPU | server RSS after |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  row saturating "saturating, $connections conn + abuse"
  row paced "paced $pace ms, $connections conn + abuse"
  row big "paced + $big big uploads"
  row throughput "throughput, $throughput conn, estimate only"
  echo
  echo "Errors count wrong statuses or bodies and broken connections (any is a failure). \"busy\" counts 503 answers"
  echo "with Retry-After (a full lane or body-memory reservation), which are right under this load."
  echo
  echo "- server RSS: $rss_start after the warm-up; peak (VmHWM) over all runs: $peak"
  echo "- heap after each run (ZGC used / capacity): $(cat "$tmp/saturating.heap"); $(cat "$tmp/paced.heap"); $(cat "$tmp/big.heap"); $(cat "$tmp/throughput.heap")"
  echo "- big uploads: $(grep '^big_status=' "$tmp/big.out" | sed 's/^big_status=//' | tr '\n' ';' | sed 's/;$//; s/;/, /g') (status count)"
  for r in saturating paced big throughput; do
    echo "- \`uptime\` before $r: \`$(cat "$tmp/$r.uptime")\`; \`/api/catalog\` after: $(cat "$tmp/$r.health")"
  done
  echo "- after all runs, \`/api/estimate\`: $estimate"
  echo "- abuse answers in the saturating run (case:status count): $(grep '^abuse_case=' "$tmp/saturating.out" | sed 's/^abuse_case=//' | tr '\n' ';' | sed 's/;$//; s/;/, /g')"
  cat "$tmp"/*.out | grep '^error_sample=' | sed 's/^error_sample=/- error sample: /' || true
  if [ -n "$notes" ]; then echo; echo "$notes"; fi
} > bench/RESULTS-serve.md
cat bench/RESULTS-serve.md
