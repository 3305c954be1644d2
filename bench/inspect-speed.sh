#!/usr/bin/env bash
# Whole-process "inspect" speed on large synthetic checkpoints (sparse files: real headers, no data written):
#   * Llama-3.1-405B layout in 191 bf16 safetensors shards + index: heft vs a minimal Python json header reader;
#   * a Qwen2.5-7B-shaped Q4_K GGUF with a 152,064-token vocabulary: heft vs @huggingface/gguf (if npm can install it).
# heft runs as `./heft inspect` once the CLI has that command, else as dev.heft.bench.InspectMain (same reader call),
# and as the JVM command the launcher runs, with and without the launcher's AOT cache. Uses hyperfine when installed,
# else a timing loop.
# Writes bench/RESULTS.md. Environment: RUNS (default 10), WARMUP (default 2), BENCH_OUT (default bench-out),
# BASE_ROOT (optional: another built checkout, e.g. an older commit, whose `./heft inspect` is timed in the same run
# as "before").
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/jdk.sh
heft_find_jdk25
RUNS="${RUNS:-10}"
WARMUP="${WARMUP:-2}"
out="${BENCH_OUT:-$root/bench-out}"
mkdir -p "$out"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
java="$JAVA_HOME/bin/java"
jar="$root/heft-bench/target/heft-bench.jar"

echo "== building heft-core and heft-bench" >&2
mvn -B -ntp -q -o -pl heft-bench -am install -DskipTests 2>/dev/null \
  || mvn -B -ntp -q -pl heft-bench -am install -DskipTests

st="$out/llama-3.1-405b"
gg="$out/qwen2.5-7b-q4_k.gguf"
if [ ! -f "$st/model.safetensors.index.json" ]; then
  echo "== generating $st (191 sparse shards)" >&2
  "$java" -cp "$jar" dev.heft.bench.SyntheticCheckpoints llama-405b "$st"
fi
if [ ! -f "$gg" ]; then
  echo "== generating $gg" >&2
  "$java" -cp "$jar" dev.heft.bench.SyntheticCheckpoints gguf-150k "$gg"
fi

# The launcher's JVM flags (see ./heft), so the stand-in starts like the real CLI.
flags="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:Tier3BackEdgeThreshold=1000 -XX:-UsePerfData --enable-native-access=ALL-UNNAMED"
# The launcher's AOT cache: ./heft writes it with a training run (dev.heft.cli.CdsTraining) right after building.
aot_file="$root/heft-cli/target/heft.aot"
cds_for() { echo "-XX:AOTCache=$aot_file -Xlog:aot=off -Xlog:cds=off"; }
cds="-XX:AOTCache=heft-cli/target/heft.aot (written by the launcher's training run, not by these inputs)"
# The Python baseline runs the interpreter itself: a pyenv shim (a bash script that execs pyenv) would add ~0.5 s of
# CPU that is not Python's.
python="$(python3 -c 'import sys; print(sys.executable)')"
base_cmd() { [ -n "${BASE_ROOT:-}" ] && echo "$BASE_ROOT/heft inspect $1" || echo ""; }
if ./heft inspect "$st" >/dev/null 2>&1; then
  # The launcher script (JDK lookup, staleness check of the CLI jar), then the same JVM started directly.
  heft_label="the CLI: \`./heft inspect\`, and the JVM command the launcher runs (\`java ... -jar heft.jar inspect\`)"
  launcher_cmd() { echo "$root/heft inspect $1"; }
  heft_cmd() { echo "$java $flags -Xshare:auto -Dheft.launcher=1 -jar $root/heft-cli/target/heft.jar inspect $1"; }
  heft_cds_cmd() { echo "$java $flags $(cds_for "$1") -Dheft.launcher=1 -jar $root/heft-cli/target/heft.jar inspect $1"; }
else
  heft_label="InspectMain stand-in (the CLI has no inspect yet)"
  launcher_cmd() { echo ""; }
  heft_cmd() { echo "$java $flags -cp $jar dev.heft.bench.InspectMain $1"; }
  heft_cds_cmd() { echo "$java $flags $(cds_for "$1") -cp $jar dev.heft.bench.InspectMain $1"; }
fi

py_cmd="$python $root/bench/st_header_reader.py $st"
node_cmd=""
if command -v node >/dev/null 2>&1; then
  if [ ! -d "$out/node/node_modules/@huggingface/gguf" ]; then
    (mkdir -p "$out/node" && cd "$out/node" && npm install --no-audit --no-fund @huggingface/gguf >/dev/null 2>&1) || true
  fi
  if [ -d "$out/node/node_modules/@huggingface/gguf" ]; then
    cp "$root/bench/gguf_hf.mjs" "$out/node/gguf_hf.mjs"
    node_cmd="node $out/node/gguf_hf.mjs $gg"
  fi
fi
heft_gguf_ok=0
if eval "$(heft_cmd "$gg")" >/dev/null 2>&1; then heft_gguf_ok=1; fi
if [ -n "${BASE_ROOT:-}" ]; then "$BASE_ROOT/heft" inspect "$st" >/dev/null 2>&1 || true; fi

if ! command -v hyperfine >/dev/null 2>&1; then
  (apt-get install -y hyperfine >/dev/null 2>&1) || true
fi

# time_set NAME CMD... : hyperfine JSON into $out/NAME.json (or a loop measuring the same)
time_set() {
  local name="$1"; shift
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$out/$name.json" "$@" >&2
  else
    python3 - "$out/$name.json" "$RUNS" "$WARMUP" "$@" <<'PY'
import json, shlex, statistics, subprocess, sys, time
dest, runs, warmup, cmds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
results = []
for c in cmds:
    for _ in range(warmup):
        subprocess.run(shlex.split(c), stdout=subprocess.DEVNULL, check=True)
    times = []
    for _ in range(runs):
        t = time.perf_counter(); subprocess.run(shlex.split(c), stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    results.append({"command": c, "mean": statistics.mean(times), "stddev": statistics.stdev(times),
                    "median": statistics.median(times), "min": min(times), "max": max(times)})
json.dump({"results": results}, open(dest, "w"))
PY
  fi
}

echo "== safetensors, 191 shards" >&2
st_cmds=()
if [ -n "$(base_cmd "$st")" ]; then st_cmds+=("$(base_cmd "$st")"); fi
if [ -n "$(launcher_cmd "$st")" ]; then st_cmds+=("$(launcher_cmd "$st")"); fi
st_cmds+=("$(heft_cmd "$st")" "$(heft_cds_cmd "$st")" "$py_cmd")
time_set safetensors "${st_cmds[@]}"
gguf_cmds=()
if [ "$heft_gguf_ok" = 1 ]; then
  if [ -n "$(base_cmd "$gg")" ]; then gguf_cmds+=("$(base_cmd "$gg")"); fi
  if [ -n "$(launcher_cmd "$gg")" ]; then gguf_cmds+=("$(launcher_cmd "$gg")"); fi
  gguf_cmds+=("$(heft_cmd "$gg")" "$(heft_cds_cmd "$gg")")
fi
if [ -n "$node_cmd" ]; then gguf_cmds+=("$node_cmd"); fi
if [ "${#gguf_cmds[@]}" -gt 0 ]; then
  echo "== gguf, 152k vocabulary" >&2
  time_set gguf "${gguf_cmds[@]}"
fi

# In-process read time (JVM start-up excluded), median of 5: "wall ms / process CPU ms".
read_ms() {
  local runs
  runs="$(for i in 1 2 3 4 5; do "$java" $flags -Dheft.bench.timing=true -cp "$jar" dev.heft.bench.InspectMain "$1" 2>&1 >/dev/null | tr '\n' ' '; echo; done)"
  echo "$(echo "$runs" | sed -n 's/.*read_ms=\([0-9.]*\).*/\1/p' | sort -n | sed -n 3p) ms wall, $(echo "$runs" | sed -n 's/.*read_cpu_ms=\([0-9.]*\).*/\1/p' | sort -n | sed -n 3p) ms CPU"
}
st_read="$(read_ms "$st")"
gg_read="n/a"; if [ "$heft_gguf_ok" = 1 ]; then gg_read="$(read_ms "$gg")"; fi
empty_jvm="$("$java" $flags -version 2>&1 | head -1)"

export B_ROOT="$root" B_BASE_ROOT="${BASE_ROOT:-}" B_LOAD_START="$load_start" B_OUT="$out" B_DEST="$root/bench/RESULTS.md" B_JAVA="$java" B_FLAGS="$flags" B_CDS="$cds" B_RUNS="$RUNS" \
  B_WARMUP="$WARMUP" B_HEFT_LABEL="$heft_label" B_ST_READ="$st_read" B_GG_READ="$gg_read" B_GGUF_OK="$heft_gguf_ok" \
  B_HEFT_ST="$(heft_cmd "$st")" B_HEFT_CDS_ST="$(heft_cds_cmd "$st")" B_PY="$py_cmd" \
  B_HEFT_GG="$(heft_cmd "$gg")" B_HEFT_CDS_GG="$(heft_cds_cmd "$gg")" B_NODE="$node_cmd" \
  B_LAUNCH_ST="$(launcher_cmd "$st")" B_LAUNCH_GG="$(launcher_cmd "$gg")" \
  B_BASE_ST="$(base_cmd "$st")" B_BASE_GG="$(base_cmd "$gg")" B_BASE_REV="$( [ -n "${BASE_ROOT:-}" ] && git -C "$BASE_ROOT" rev-parse --short HEAD || true)"
python3 - <<'PY'
import datetime, json, os, platform, subprocess
E = os.environ
out, dest = E["B_OUT"], E["B_DEST"]

def sh(c):
    return subprocess.run(c, shell=True, capture_output=True, text=True).stdout.strip()

measured = []

def table(name, labels):
    p = os.path.join(out, name + ".json")
    if not os.path.exists(p):
        return "_not measured_\n"
    rs = json.load(open(p))["results"]
    best = min(r["mean"] for r in rs)
    rows = ["| command | wall mean ± σ (ms) | wall min (ms) | CPU user + sys (ms) | wall relative |",
            "|---|---|---|---|---|"]
    for r in rs:
        measured.append(r["command"])
        cpu = f"{r['user']*1e3:.0f} + {r['system']*1e3:.0f}" if "user" in r else "?"
        rows.append(f"| {labels.get(r['command'], r['command'])} | {r['mean']*1e3:.0f} ± {r['stddev']*1e3:.0f} "
                    f"| {r['min']*1e3:.0f} | {cpu} | {r['mean']/best:.2f} |")
    return "\n".join(rows) + "\n"

hf_version = sh(f"node -p \"require('{out}/node/node_modules/@huggingface/gguf/package.json').version\"")
labels = {
    E["B_BASE_ST"]: f"before ({E['B_BASE_REV']}): ./heft inspect",
    E["B_BASE_GG"]: f"before ({E['B_BASE_REV']}): ./heft inspect",
    E["B_LAUNCH_ST"]: "heft: ./heft inspect (launcher script)",
    E["B_LAUNCH_GG"]: "heft: ./heft inspect (launcher script)",
    E["B_HEFT_ST"]: "heft: java -jar heft.jar inspect",
    E["B_HEFT_CDS_ST"]: "heft: java -jar heft.jar inspect + AOT cache",
    E["B_PY"]: "Python json header reader (bench/st_header_reader.py)",
    E["B_HEFT_GG"]: "heft: java -jar heft.jar inspect",
    E["B_HEFT_CDS_GG"]: "heft: java -jar heft.jar inspect + AOT cache",
    E["B_NODE"]: f"@huggingface/gguf {hf_version} (bench/gguf_hf.mjs)",
}
cpu = sh("lscpu | sed -n 's/^Model name: *//p'") or platform.processor()
mem = sh("free -g | awk '/Mem:/{print $2}'")
load = sh("cut -d' ' -f1-3 /proc/loadavg")
jvm = " ".join(sh(E["B_JAVA"] + " -version 2>&1").splitlines()[:2])
hyperfine = sh("hyperfine --version") or "not installed (timing loop)"
gguf_note = ("measured" if E["B_GGUF_OK"] == "1" else
             "not measured: heft's GGUF reader (branch gguf) is not merged here yet; rerun the script once it is")
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
st_table = table("safetensors", labels)
gg_table = table("gguf", labels)
# Paths of this machine out of the record (issue 12): the checkout's root, the before checkout, the JDK, the
# interpreter's install path.
def relative(c):
    c = c.replace(E["B_JAVA"], "$JAVA_HOME/bin/java")
    if E.get("B_BASE_ROOT"):
        c = c.replace(E["B_BASE_ROOT"].rstrip("/") + "/heft", "<before checkout>/heft")
    c = c.replace(E["B_ROOT"] + "/heft ", "./heft ").replace(E["B_ROOT"] + "/", "")
    return " ".join("python3" if w.startswith("/") and os.path.basename(w).startswith("python") else w
                    for w in c.split(" "))
commands = "\n".join(relative(c) for c in measured)
doc = f"""# inspect speed: results

Generated by `bench/inspect-speed.sh` on {now}.

- Machine: {cpu}, {os.cpu_count()} CPUs, {mem} GiB RAM; load average (1, 5, 15 min) at the start: {E['B_LOAD_START']},
  when done: {load}. A load above the CPU count means other jobs were running: wall times then include waiting for a
  CPU and vary from run to run; CPU time (user + sys) is the steadier figure.
- JVM: {jvm}; flags as the `./heft` launcher: `{E['B_FLAGS']}`.
- Python {platform.python_version()}; node {sh('node --version') or 'absent'}; {hyperfine}.
- {E['B_RUNS']} measured runs after {E['B_WARMUP']} warm-up runs, page cache warm (the checkpoints are sparse files:
  only their headers exist on disk, so a reader that touched tensor data would still not pay for disk reads).
- heft is timed as: {E['B_HEFT_LABEL']}. AOT cache rows add `{E['B_CDS']}`.

## safetensors: Llama-3.1-405B layout, 191 bf16 shards + index (1,137 tensors, 405,853,388,800 parameters, 811.7 GB)

{st_table}
In-process read time of heft (dev.heft.bench.InspectMain: read only, no report; JVM start-up excluded; medians of 5): {E['B_ST_READ']}.

## GGUF: Qwen2.5-7B shape, Q4_K/Q6_K, 152,064-token vocabulary + 151,387 merges (339 tensors, 4.9 GB)

{gg_table}
heft on the GGUF: {gguf_note}. In-process read time (medians of 5): {E['B_GG_READ']}.

## Commands

```
{commands}
```
"""
open(dest, "w").write(doc)
print(doc)
PY
