#!/usr/bin/env bash
# Fuzzes heft's parsers with Jazzer (coverage-guided, libFuzzer underneath), one target at a time.
#
#   scripts/fuzz.sh                     list the targets
#   scripts/fuzz.sh TARGET [SECONDS]    fuzz one target (default 60 s)
#   scripts/fuzz.sh all [SECONDS]       fuzz every target in turn, SECONDS each
#   scripts/fuzz.sh summary [LOG]       per target: runs, seconds, executions, last coverage, findings (from the log)
#
# Each run: a test JVM capped at -Xmx256m (an input that needs more is an out-of-memory finding), the per-input
# allocation budget of dev.heft.core.testing.FuzzBudget (48 MiB + 1 KiB per input byte), libFuzzer's 10 s per-input
# timeout, and Jazzer's coverage report of heft's classes. The committed seeds (src/test/resources/.../<Test>Inputs)
# start the corpus; what the fuzzer adds goes to <module>/.cifuzz-corpus (ignored by git); a finding is saved beside
# the seeds as crash-<sha1> and replays in every normal build from then on. A summary line per run (target, seconds,
# executions, coverage, corpus, findings) is appended to ${HEFT_FUZZ_LOG:-bench-out/fuzz/fuzz.log}.
#
# Runs are niced (the machine is shared) and never overlap: a lock file serialises concurrent invocations.
# HEFT_FUZZ_KEEP_GOING=N keeps fuzzing past the first N distinct findings (default: stop at the first).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
heft_find_jdk25

# target     module    test class#method                                               sources summarised    extra classes instrumented
#                                                                                                               (=LIST: these instead of dev.heft.**)
TARGETS="
safetensors heft-core dev.heft.core.format.safetensors.SafetensorsFuzzTest#headers      format/safetensors    -
gguf        heft-core dev.heft.core.format.gguf.GgufFuzzTest#fuzzReader                format/gguf           -
onnx        heft-core dev.heft.core.format.onnx.OnnxReaderFuzzTest#fuzzReader          format/onnx           -
pickle      heft-core dev.heft.core.format.pickle.PickleFuzzTest#interpreterRefusesOrBuilds format/pickle     -
zip         heft-core dev.heft.core.format.zip.ZipDirectoryFuzzTest#directoryReadsOrRefuses format/zip        -
hdf5        heft-core dev.heft.core.format.keras.Hdf5FuzzTest#hdf5                     format/keras          io.jhdf.**
tflite      heft-core dev.heft.core.format.tflite.TfliteFuzzTest#flatbuffers           format/tflite         -
tfjs        heft-core dev.heft.core.format.tfjs.TfjsFuzzTest#manifests                 format/tfjs           -
hfconfig    heft-core dev.heft.core.arch.hf.HfConfigFuzzTest#configs                   arch/hf               -
layerspec   heft-core dev.heft.core.arch.torch.LayerSpecFuzzTest#specsFailOnlyWithHeftExceptions arch/torch   org.snakeyaml.**
json        heft-core dev.heft.core.json.JsonFuzzTest#parse                            json                  -
http        heft-web  dev.heft.web.HttpRequestFuzzTest#requests                        web                   =dev.heft.web.**:dev.heft.core.api.**:dev.heft.core.json.**:dev.heft.core.model.**:dev.heft.core.precision.**:dev.heft.core.error.**
front       heft-web  dev.heft.web.HttpFrontFuzzTest#connection                        web                   -
hub         heft-core dev.heft.core.hub.HubResponsesFuzzTest#answers                   hub                   -
http1       heft-core dev.heft.core.hub.Http1FuzzTest#answers                          hub                   -
"

if [ "${1:-}" = summary ]; then
  log="${2:-${HEFT_FUZZ_LOG:-bench-out/fuzz/fuzz.log}}"
  awk '{
      t = $2; runs[t]++
      for (i = 3; i <= NF; i++) {
        split($i, kv, "=")
        if (kv[1] == "seconds") secs[t] += kv[2]
        if (kv[1] == "runs") execs[t] += kv[2]
        if (kv[1] == "findings") found[t] += kv[2]
        if (kv[1] == "lines") { lines[t] = kv[2] " " $(i + 1) }
        if (kv[1] == "branches") { branches[t] = kv[2] " " $(i + 1) }
      }
    } END {
      for (t in runs) printf "%-12s %5d %8d %12d %8d  %-22s %s\n", t, runs[t], secs[t], execs[t], found[t], lines[t], branches[t]
    }' "$log" | sort | { printf "%-12s %5s %8s %12s %8s  %-22s %s\n" target runs seconds executions findings \
      "lines (last run)" "branches (last run)"; cat; }
  exit 0
fi
if [ $# -eq 0 ]; then
  echo "usage: scripts/fuzz.sh TARGET|all [SECONDS]"
  echo "targets:"; echo "$TARGETS" | awk 'NF {printf "  %-12s %s\n", $1, $3}'
  exit 0
fi
target="$1"; seconds="${2:-60}"
case "$seconds" in ''|*[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, not '$seconds'" >&2; exit 2 ;; esac
log="${HEFT_FUZZ_LOG:-bench-out/fuzz/fuzz.log}"
mkdir -p "$(dirname "$log")" bench-out/fuzz

if [ "$target" = all ]; then
  for t in $(echo "$TARGETS" | awk 'NF {print $1}'); do "$0" "$t" "$seconds"; done
  exit 0
fi
line="$(echo "$TARGETS" | awk -v t="$target" '$1 == t')"
[ -n "$line" ] || { echo "fuzz.sh: no target '$target' (run without arguments for the list)" >&2; exit 2; }
module="$(echo "$line" | awk '{print $2}')"; test="$(echo "$line" | awk '{print $3}')"
sources="$(echo "$line" | awk '{print $4}')"; extra="$(echo "$line" | awk '{print $5}')"
# The http target runs whole operations behind the request parser: it instruments the request side (web, api, json,
# model resolution, precisions, errors) and not the engine's arithmetic, which costs most of an input's time under
# instrumentation and has targets of its own (hfconfig, layerspec, the format readers). Every class still runs under
# the same oracle; only coverage feedback is narrower.
includes="dev.heft.**"
case "$extra" in -) ;; =*) includes="${extra#=}" ;; *) includes="$includes:$extra" ;; esac
# The summarised sources: every .java file of the target's package (heft-web's is dev.heft.web).
srcdir="$module/src/main/java/dev/heft/$( [ "$module" = heft-web ] && echo web || echo "core/$sources")"

exec 9>bench-out/fuzz/.lock
flock 9   # one fuzzer at a time on this checkout

out="bench-out/fuzz/$target.out"
coverage="$PWD/bench-out/fuzz/$target.coverage.txt"
echo "fuzz.sh: $target for ${seconds}s ($test), output in $out" >&2
# One Maven run: compile what the target needs, then run only its test (the test phase, not surefire:test alone, so that
# heft-web's dependency on heft-core's test classes resolves inside the build). Compile errors show in $out.
set +e
if [ -n "${HEFT_FUZZ_RECORD_ONLY:-}" ]; then
  # Only summarise the last run's output into the log (a run a finding stopped before fuzz.sh could log it).
  rc="$(grep -aq 'FuzzTestFindingException' "$out" && echo 1 || echo 0)"
else
JAZZER_FUZZ=1 nice -n 19 mvn -B -ntp -pl "$module" -am test -Dtest="$test" \
  -Dsurefire.failIfNoSpecifiedTests=false -DtrimStackTrace=false \
  -Dheft.test.jvm.extra="-Xmx256m -Djazzer.max_duration=${seconds}s -Djazzer.instrumentation_includes=$includes \
-Djazzer.coverage_report=$coverage -Djazzer.keep_going=${HEFT_FUZZ_KEEP_GOING:-1} -Djazzer.internal.arg.0=-timeout=10" \
  >"$out" 2>&1
rc=$?
fi
set -e
# A run that a finding stopped prints no "Done" line: its last status line counts then.
runs="$(grep -aoE '^Done [0-9]+ runs' "$out" | tail -1 | awk '{print $2}' || true)"
# libFuzzer's own count of the seconds it fuzzed (fewer than asked when a finding stopped it).
fuzzed="$(grep -aoE '^Done [0-9]+ runs in [0-9]+ second' "$out" | tail -1 | awk '{print $5}' || true)"
[ -z "$fuzzed" ] || seconds="$fuzzed"
if [ -z "$runs" ]; then
  runs="$(grep -aoE '^#[0-9]+' "$out" | tail -1 | tr -d '#' || true)"
  # ... and its seconds are those it fuzzed before the finding (its executions over its last rate), not those asked.
  rate="$(grep -aoE 'exec/s: [0-9]+' "$out" | tail -1 | awk '{print $2}' || true)"
  [ -z "$runs" ] || [ -z "$rate" ] || [ "$rate" -eq 0 ] || seconds=$(( runs / rate ))
fi
cov="$(grep -aoE 'DONE +cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$out" | tail -1 | sed -E 's/DONE +//' || true)"
[ -n "$cov" ] || cov="$(grep -aoE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$out" | tail -1 || true)"
findings="$(grep -acE '^== Java Exception|^==[0-9]+== ERROR|FuzzTestFindingException|Java Exception:' "$out" || true)"
# Jazzer's report lists branch and line coverage per source file name; sum the target package's files.
cover() { # SECTION -> "covered/total"
  local names; names="$(ls "$srcdir" | grep '\.java$' | tr '\n' ' ')"
  awk -v section="$1" -v names="$names" '
    BEGIN { n = split(names, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
    /^[A-Za-z]+ coverage:$/ { on = ($0 == section " coverage:"); next }
    on && /^[^ ]+\.java: [0-9]+\/[0-9]+/ {
      split($1, f, ":"); if (!(f[1] in want)) next
      split($2, c, "/"); cov += c[1]; tot += c[2] }
    END { if (tot) printf "%d/%d (%.1f%%)", cov, tot, 100 * cov / tot; else printf "?" }' "$coverage" 2>/dev/null
}
lines="lines=$(cover Line) branches=$(cover Branch)"
summary="$(date -u +%Y-%m-%dT%H:%M:%SZ) $target seconds=$seconds runs=${runs:-?} ${cov:-cov: ?} findings=$findings rc=$rc ${lines}"
echo "$summary" | tee -a "$log"
[ "$rc" -eq 0 ] || { grep -aE 'crash-|Exception|Error' "$out" | head -20 >&2; exit "$rc"; }
