#!/usr/bin/env bash
# Load and abuse test of `heft serve` as users run it (issue 16, item 5): the ./heft launcher starts the server on a
# free loopback port; bench/ServeLoad.java (JDK classes only, run by the source launcher) drives it with CONNECTIONS
# keep-alive connections sending POST /api/estimate back to back for SECONDS, one probe stream sending the same request
# every 50 ms (the latency the issue bounds: p99 under 50 ms), and LORIS slow-loris connections trickling request
# heads a byte a second. Two runs: the connections saturating (back to back), then paced (one request every PACE ms
# each, default 200: 1000 requests/s in all). Records p50/p99, errors, the server's RSS and `uptime` before and after, checks the server
# still answers, and writes bench/RESULTS-serve.md. No installs: JDK 25 and curl.
#   bench/serve-load.sh [seconds, default 30] [connections, default 200] [loris, default 50] [pace ms, default 200]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
heft_find_jdk25
seconds="${1:-30}"
connections="${2:-200}"
loris="${3:-50}"
pace="${4:-200}"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

log="$(mktemp)"
out="$(mktemp)"
paced="$(mktemp)"
./heft serve --port "$port" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$log" "$out" "$paced"' EXIT
for _ in $(seq 1 240); do
  curl -fs "http://127.0.0.1:$port/api/catalog" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$port/api/catalog" >/dev/null || { cat "$log" >&2; echo "serve-load: server did not start" >&2; exit 1; }
# The JVM under ./heft is the launcher's child (or the launcher itself after exec): the java process on this port.
jvm="$(pgrep -P "$server" java || echo "$server")"
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$jvm/status" 2>/dev/null || echo "?"; }

# Warm-up (JIT), not recorded: 5 s of the same load without the slow clients.
"$JAVA_HOME/bin/java" bench/ServeLoad.java "$port" 5 "$connections" 0 >/dev/null
before="$(uptime)"
rss_before="$(rss)"
"$JAVA_HOME/bin/java" bench/ServeLoad.java "$port" "$seconds" "$connections" "$loris" >"$out"
after="$(uptime)"
rss_after="$(rss)"
healthy="$(curl -fs -o /dev/null -w '%{http_code} in %{time_total} s' "http://127.0.0.1:$port/api/catalog" || echo failed)"
"$JAVA_HOME/bin/java" bench/ServeLoad.java "$port" "$seconds" "$connections" "$loris" "$pace" >"$paced"
after_paced="$(uptime)"
rss_paced="$(rss)"
healthy_paced="$(curl -fs -o /dev/null -w '%{http_code} in %{time_total} s' "http://127.0.0.1:$port/api/catalog" || echo failed)"
get() { awk -F= -v k="$1" '$1==k {print $2; exit}' "${2:-$out}"; }
row() { # file, label
  echo "| $2 | $(get load_requests "$1") | $(get load_rps "$1") | $(get load_p50_ms "$1") ms | $(get load_p99_ms "$1") ms | $(get load_max_ms "$1") ms | $(get probe_p50_ms "$1") ms | $(get probe_p99_ms "$1") ms | $(get probe_max_ms "$1") ms | $(get errors "$1") | $(get loris_cut_by_server "$1") |"
}

{
  echo "# heft serve under load and slow-loris abuse"
  echo
  echo "Written by \`bench/serve-load.sh $seconds $connections $loris\` on $(date -u +%Y-%m-%dT%H:%M:%SZ): \`./heft serve\`"
  echo "(default limits: one worker per core, 512 connections, 10 s header deadline) on loopback, driven by"
  echo "\`bench/ServeLoad.java\` for $seconds s after a 5 s warm-up. Machine: $(nproc) cores shared with other builds;"
  echo "the load generator runs on the same cores as the server."
  echo
  echo "- load: $connections keep-alive connections sending \`POST /api/estimate\` (llama-3-8b, context 8192):"
  echo "  first back to back (saturating: a closed loop, so latency is mostly queueing behind the other"
  echo "  $((connections - 1))), then paced at one request every $pace ms each."
  echo "- probe: one more connection sending the same request every 50 ms: the stream whose p99 issue 16 bounds."
  echo "- abuse: $loris slow-loris connections trickling a request head one byte a second, reconnecting when cut."
  echo
  echo "| run | load requests | load req/s | load p50 | load p99 | load max | probe p50 | probe p99 | probe max | errors | loris cut |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  row "$out" "saturating"
  row "$paced" "paced ($pace ms)"
  echo
  echo "Errors count non-200 answers, wrong bodies and broken connections; \"loris cut\" counts slow-loris"
  echo "connections the server closed at its header deadline. Reconnects: $(get reconnects "$out") / $(get reconnects "$paced")."
  echo
  echo "- server RSS: $rss_before before, $rss_after after the saturating run, $rss_paced after the paced one"
  echo "- \`uptime\` before: \`$(echo "$before" | sed 's/^ *//')\`"
  echo "- \`uptime\` after the saturating run: \`$(echo "$after" | sed 's/^ *//')\`"
  echo "- \`uptime\` after the paced run: \`$(echo "$after_paced" | sed 's/^ *//')\`"
  echo "- \`/api/catalog\` right after each run: $healthy; $healthy_paced"
  cat "$out" "$paced" | grep '^error_sample=' | sed 's/^error_sample=/- error sample: /' || true
} > bench/RESULTS-serve.md
cat bench/RESULTS-serve.md
