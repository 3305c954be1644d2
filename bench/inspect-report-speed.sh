#!/usr/bin/env bash
# Per-tensor cost of inspect's classification and report, and whole-process `./heft inspect`, on a DeepSeek-V3 layout
# (45,395 tensors, 163 sparse bf16 shards written by dev.heft.bench.SyntheticCheckpoints deepseek-v3), for this
# checkout and, with BASE_ROOT=<another built checkout>, for that one in the same run (interleaved, so both see the same
# load). Reports CPU time (user + sys, and the report thread's CPU time): on a shared 2-core machine wall time mostly
# measures the wait for a CPU. Replaces the "inspect report" section of bench/RESULTS.md.
# Environment: RUNS (default 7), BENCH_OUT (default bench-out), BASE_ROOT (optional), JMH=1 to add the JMH run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/jdk.sh
heft_find_jdk25
RUNS="${RUNS:-7}"
out="${BENCH_OUT:-$root/bench-out}"
java="$JAVA_HOME/bin/java"
# ./heft's flags for one-shot commands
flags="-XX:TieredStopAtLevel=1 -XX:Tier3BackEdgeThreshold=1000 -XX:+UseSerialGC -XX:-UsePerfData"
mkdir -p "$out"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
./build bench >/dev/null
ds="$out/deepseek-v3"
[ -f "$ds/model.safetensors.index.json" ] || "$java" -cp heft-bench/target/heft-bench.jar \
  dev.heft.bench.SyntheticCheckpoints deepseek-v3 "$ds"
roots=("$root"); labels=("this checkout ($(git rev-parse --short HEAD))")
if [ -n "${BASE_ROOT:-}" ]; then
  roots=("$BASE_ROOT" "$root"); labels=("before ($(git -C "$BASE_ROOT" rev-parse --short HEAD))" "${labels[0]}")
  cp heft-bench/src/main/java/dev/heft/bench/{InspectReportCpu,InspectReportBenchmark,SyntheticCheckpoints}.java \
    "$BASE_ROOT/heft-bench/src/main/java/dev/heft/bench/"
  (cd "$BASE_ROOT" && ./build bench >/dev/null)
fi
for r in "${roots[@]}"; do "$r/heft" inspect "$ds" >/dev/null; done  # builds the CLI jar and AOT cache if stale
: > "$out/report-cpu.txt"; : > "$out/inspect-cpu.txt"
for i in $(seq "$RUNS"); do
  for k in "${!roots[@]}"; do
    r="${roots[$k]}"
    echo "$k $("$java" $flags -cp "$r/heft-bench/target/heft-bench.jar" dev.heft.bench.InspectReportCpu)" >> "$out/report-cpu.txt"
    /usr/bin/time -f "$k %U %S %e" "$r/heft" inspect "$ds" >/dev/null 2>>"$out/inspect-cpu.txt"
  done
done
jmh=""
if [ "${JMH:-0}" = 1 ]; then
  for k in "${!roots[@]}"; do
    "$java" -jar "${roots[$k]}/heft-bench/target/heft-bench.jar" InspectReportBenchmark -rf json \
      -rff "$out/jmh-report-$k.json" >/dev/null
  done
  jmh=1
fi
export R_LOAD_START="$load_start" R_OUT="$out" R_RUNS="$RUNS" R_JMH="$jmh" R_LABELS="$(printf '%s\n' "${labels[@]}")"
python3 - <<'PY'
import json, os, re, statistics
E = os.environ
out = E["R_OUT"]
labels = E["R_LABELS"].splitlines()
rep = {k: ([], []) for k in range(len(labels))}
for line in open(os.path.join(out, "report-cpu.txt")):
    k = int(line.split()[0])
    rep[k][0].append(float(re.search(r"cold_ns_per_tensor=(\d+)", line).group(1)))
    rep[k][1].append(float(re.search(r"warm_ns_per_tensor=(\d+)", line).group(1)))
whole = {k: [] for k in range(len(labels))}
for line in open(os.path.join(out, "inspect-cpu.txt")):
    parts = line.split()
    if len(parts) == 4 and parts[0].isdigit():
        whole[int(parts[0])].append((float(parts[1]) + float(parts[2]), float(parts[3])))
med = statistics.median
rows = ["| checkout | report, cold (C1, first call): ns/tensor | report, warm: ns/tensor | `./heft inspect`: CPU user+sys (s) | `./heft inspect`: wall (s) |",
        "|---|---|---|---|---|"]
for k, label in enumerate(labels):
    rows.append(f"| {label} | {med(rep[k][0]):,.0f} | {med(rep[k][1]):,.0f} | {med([c for c, _ in whole[k]]):.2f} | {med([w for _, w in whole[k]]):.2f} |")
jmh = ""
if E["R_JMH"]:
    jmh = ("JMH (`dev.heft.bench.InspectReportBenchmark`, wall time per tensor: single-shot in 10 fresh forks with C1 "
           "only, and steady state; under this load wall time includes waiting for a CPU):\n\n")
    for k, label in enumerate(labels):
        for r in json.load(open(os.path.join(out, f"jmh-report-{k}.json"))):
            m = r["primaryMetric"]
            jmh += (f"- {label}, `{r['benchmark'].split('.')[-1]}` ({r['mode']}): {m['score']:,.0f} ± "
                    f"{m['scoreError']:,.0f} ns per tensor\n")
    jmh += "\n"
load_end = open("/proc/loadavg").read().split()[:3]
section = f"""<!-- inspect-report: written by bench/inspect-report-speed.sh -->
## inspect's classification and report: DeepSeek-V3 layout (45,395 tensors, 163 bf16 shards)

Written by `bench/inspect-report-speed.sh` (medians of {E['R_RUNS']} interleaved runs). Load average at the start
{E['R_LOAD_START']}, at the end {' '.join(load_end)} on 2 CPUs: other jobs were running, so wall times mostly measure
the wait for a CPU; the CPU columns are the figures to compare. "report" is `InspectReport.of` (classifier, block
summary, largest tensors) over the layout held in memory (`dev.heft.bench.InspectReportCpu`: the thread's CPU time of
the first call in a fresh JVM with the launcher's one-shot flags, and of warm calls); `./heft inspect` is
the whole process on the sparse checkpoint (JVM start, header reads, report, rendering).

{chr(10).join(rows)}

{jmh}<!-- /inspect-report -->
"""
dest = "bench/RESULTS.md"
doc = open(dest).read()
doc = re.sub(r"<!-- inspect-report:.*?<!-- /inspect-report -->\n", "", doc, flags=re.S)
open(dest, "w").write(doc.rstrip("\n") + "\n\n" + section)
print(section)
PY
