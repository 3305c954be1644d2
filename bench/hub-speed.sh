#!/usr/bin/env bash
# Whole-process time to read a Hub repo's safetensors headers over HTTP, heft vs huggingface_hub, same server, same run:
#   * a loopback server (FakeHub, the tests' stand-in for the Hub, run as a standalone tool from heft-core's test
#     classes) serving local folders in the Hub's URL scheme (tree API, resolve with Range, ETag, X-Repo-Commit);
#   * two synthetic repos written by heft-bench's SyntheticCheckpoints (real headers, sparse data): Llama-3.1-405B in
#     169 shards and DeepSeek-V3 (FP8 with block scales, 91k tensors) in 163 shards;
#   * `./heft inspect hf://OWNER/NAME` (the launcher, whole process) vs `python bench/hf_metadata.py OWNER/NAME`
#     (huggingface_hub's get_safetensors_metadata), interleaved, each with an empty cache every run.
# Writes bench-out/hub/results.md (copied into bench/RESULTS-hub.md by hand, with the discussion). Environment:
# LATENCIES (default "0 30", ms per answer), RUNS (default 7), WARMUP (untimed rounds before them, default 10, so
# the server's JIT is warm), VENV (default bench-out/venv-hub, created with huggingface_hub from PyPI when missing),
# BENCH_OUT (default bench-out). BEFORE=PATH (another heft checkout, built)
# adds its ./heft to the same interleaved runs, for a before/after on the same server at the same moment; LOCAL=1 adds
# `./heft inspect FOLDER` of the same repo on disk (what the remote run costs beyond the local inspect). NODELAY=1 runs
# the server with TCP_NODELAY (the JDK HttpServer's sun.net.httpserver.nodelay): by default it writes an answer's head
# and body apart with Nagle's algorithm on, so a client that delays its ACK (Linux does, up to 40 ms) gets each short
# body 40 ms after its head; heft acknowledges at once (TCP_QUICKACK), huggingface_hub does not (RESULTS-hub.md).
# PEER_PYTHON runs huggingface_hub on another interpreter of the venv's Python version, with the venv's packages on
# PYTHONPATH: interpreters start at different speeds (here the venv's pyenv-built 3.11.7 ran the peer ~100 ms slower
# than Debian's /usr/bin/python3 3.11.2 with the same packages), so name the fastest for the strictest comparison.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/jdk.sh
heft_find_jdk25
RUNS="${RUNS:-7}"
VENV="${VENV:-$root/bench-out/venv-hub}"
out="${BENCH_OUT:-$root/bench-out}/hub"
mkdir -p "$out"
java="$JAVA_HOME/bin/java"
python="$VENV/bin/python"
if [ ! -x "$python" ]; then
  echo "== creating $VENV with huggingface_hub (the peer)" >&2
  python3 -m venv "$VENV" && "$VENV/bin/pip" install -q huggingface_hub
fi
peer="${PEER_PYTHON:-$python}"
site="$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
if [ "$("$peer" -c 'import sys; print(sys.version_info[:2])')" != "$("$python" -c 'import sys; print(sys.version_info[:2])')" ]; then
  echo "PEER_PYTHON=$peer is not the venv's Python version: its packages would not load" >&2; exit 1
fi

echo "== building heft and heft-core's test classes (the loopback server)" >&2
./build jar >/dev/null
mvn -B -ntp -q -o -pl heft-core test-compile 2>/dev/null || mvn -B -ntp -q -pl heft-core test-compile
./heft --version >/dev/null 2>&1 || true   # writes the launcher's AOT cache once, outside the timed runs

repos="$out/repos"
if [ ! -f "$repos/meta-llama/Llama-3.1-405B/model.safetensors.index.json" ] \
    || [ ! -f "$repos/deepseek-ai/DeepSeek-V3/model.safetensors.index.json" ]; then
  echo "== building heft-bench (the synthetic checkpoints' writer)" >&2
  mvn -B -ntp -q -o -pl heft-bench -am install -DskipTests 2>/dev/null || mvn -B -ntp -q -pl heft-bench -am install -DskipTests
fi
if [ ! -f "$repos/meta-llama/Llama-3.1-405B/model.safetensors.index.json" ]; then
  echo "== generating Llama-3.1-405B, 169 shards" >&2
  "$java" -cp heft-bench/target/heft-bench.jar dev.heft.bench.SyntheticCheckpoints llama-405b \
    "$repos/meta-llama/Llama-3.1-405B" 169
fi
if [ ! -f "$repos/deepseek-ai/DeepSeek-V3/model.safetensors.index.json" ]; then
  echo "== generating DeepSeek-V3, 163 shards" >&2
  "$java" -cp heft-bench/target/heft-bench.jar dev.heft.bench.SyntheticCheckpoints deepseek-v3-fp8 \
    "$repos/deepseek-ai/DeepSeek-V3"
fi

export B_ROOT="$root" B_OUT="$out" B_RUNS="$RUNS" B_PY="$python" B_JAVA="$java" B_REPOS="$repos" \
  B_LATENCIES="${LATENCIES:-0 30}" B_WARMUP="${WARMUP:-10}" B_BEFORE="${BEFORE:-}" B_LOCAL="${LOCAL:-}" B_NODELAY="${NODELAY:-}" \
  B_PEER="$peer" B_SITE="$site"
"$python" - <<'PY'
import json, os, re, resource, shutil, statistics, subprocess, sys, time
root, out, runs, py, java, repos_dir = (os.environ[k] for k in ("B_ROOT", "B_OUT", "B_RUNS", "B_PY", "B_JAVA", "B_REPOS"))
runs = int(runs)
warmup = max(1, int(os.environ["B_WARMUP"]))
before = os.environ["B_BEFORE"]
local = os.environ["B_LOCAL"]
latencies = [int(x) for x in os.environ["B_LATENCIES"].split()]
repos = ["meta-llama/Llama-3.1-405B", "deepseek-ai/DeepSeek-V3"]

def start_server(latency):
    """FakeHub, redirecting weight files to its second origin as the Hub does to its CDN."""
    nodelay = ["-Dsun.net.httpserver.nodelay=true"] if os.environ["B_NODELAY"] else []
    cmd = [java] + nodelay + ["-cp", "heft-core/target/test-classes:heft-core/target/classes", "dev.heft.core.hub.FakeHub",
           "--cdn", "--latency-ms", str(latency)] + [f"{r}={repos_dir}/{r}" for r in repos]
    p = subprocess.Popen(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return p, p.stdout.readline().strip()

def env(cache, endpoint, peer=False):
    e = dict(os.environ)
    if peer and os.environ["B_PEER"] != py:  # another interpreter: the venv's packages on its path
        e["PYTHONPATH"] = os.environ["B_SITE"]
    for k in ("HF_TOKEN", "HF_HUB_OFFLINE", "HEFT_HEADER_CACHE"):
        e.pop(k, None)
    e.update(HF_ENDPOINT=endpoint, HF_HOME=cache, HF_HUB_CACHE=cache + "/hub", HEFT_CACHE_DIR=cache + "/heft",
             HF_HUB_DISABLE_TELEMETRY="1", HF_HUB_DISABLE_PROGRESS_BARS="1", HF_HUB_DISABLE_IMPLICIT_TOKEN="1")
    return e

def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

def server_cpu():
    """CPU seconds the server process has used so far (utime + stime from /proc/PID/stat)."""
    fields = open(f"/proc/{server_pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def run(cmd, endpoint, peer=False):
    """Wall seconds, CPU seconds (user + sys of the process and its children), server CPU seconds, stdout."""
    cache = os.path.join(out, "cache")
    shutil.rmtree(cache, ignore_errors=True)
    os.makedirs(cache)
    c, s = children_cpu(), server_cpu()
    t = time.perf_counter()
    p = subprocess.run(cmd, env=env(cache, endpoint, peer), capture_output=True, text=True)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr}")
    return wall, children_cpu() - c, server_cpu() - s, p.stdout

def before_name():
    """The "before" checkout by its commit (no path of this machine goes into the results)."""
    commit = subprocess.run(["git", "-C", before, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return f"the checkout at {commit.stdout.strip()}" if commit.returncode == 0 else "another checkout"

def peer_name():
    """The peer's interpreter: its version and where it comes from, no path of this machine."""
    exe = os.environ["B_PEER"]
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip() or "Python ?"
    origin = "the venv's" if exe == py else "system" if exe.startswith("/usr/") else "other"
    return f"{version} ({origin}{'' if exe == py else ', the venv packages on PYTHONPATH'})"

def load():
    return open("/proc/loadavg").read().split()[:3]

results = []
load_start = load()
server_pid = None
for latency in latencies:
    server, endpoint = start_server(latency)
    server_pid = server.pid
    try:
        for repo in repos:
            heft = [os.path.join(root, "heft"), "inspect", "hf://" + repo, "--json"]
            hf = [os.environ["B_PEER"], os.path.join(root, "bench", "hf_metadata.py"), repo]
            tools = [("heft", heft), ("hf", hf)]
            if before:
                tools.append(("before", [os.path.join(before, "heft"), "inspect", "hf://" + repo, "--json"]))
            if local:
                tools.append(("local", [os.path.join(root, "heft"), "inspect", os.path.join(repos_dir, repo), "--json"]))
            # Untimed rounds of every tool first: the launcher's checks, the page cache, Python's bytecode cache, and
            # the server's own JIT. FakeHub is a JVM that keeps compiling its request path over its first ~10,000
            # requests: one heft run of the 405B repo (341 requests) cost it 730 ms of CPU on a fresh server, 240 ms
            # after 5 runs, 70 ms after 30, and on 2 shared cores that CPU is taken from the client being measured
            # (heft's wall 0.70 -> 0.29 s over those runs, its own CPU 0.49 -> 0.40 s). A real Hub is always warm.
            # WARMUP=1 is the single untimed run of the first figures of sessions 5-7.
            for _ in range(warmup):
                heft_json = run(heft, endpoint)[3]
                hf_out = run(hf, endpoint, True)[3]
                for name, cmd in tools[2:]:
                    run(cmd, endpoint)
            # The JSON object (a JVM warning line printed by an AOT cache mismatch may come first).
            j = json.loads(heft_json[heft_json.index("{"):])
            hf_params = int(re.search(r"(\d+) parameters", hf_out).group(1))
            times = {name: [] for name, _ in tools}
            cpu = {name: [] for name, _ in tools}
            served = {name: [] for name, _ in tools}
            for i in range(runs):
                order = tools if i % 2 == 0 else tools[::-1]
                for name, cmd in order:
                    wall, used, by_server, _ = run(cmd, endpoint, name == "hf")
                    times[name].append(wall)
                    cpu[name].append(used)
                    served[name].append(by_server)
            # huggingface_hub counts every stored element; heft counts logical weights and puts FP8 block scales
            # (weight_scale_inv) under quantization overhead: compare all stored elements, every role together.
            stored = sum(r["elements"] for r in j["by_role"].values())
            results.append({"latency": latency, "repo": repo, "heft": times["heft"], "hf": times["hf"],
                            "heft_cpu": cpu["heft"], "hf_cpu": cpu["hf"],
                            "heft_server": served["heft"], "hf_server": served["hf"],
                            "before": times.get("before"), "before_cpu": cpu.get("before"),
                            "local": times.get("local"), "local_cpu": cpu.get("local"),
                            "heft_parameters": stored, "heft_weights": j["parameters"], "hf_parameters": hf_params,
                            "files": len(j["files"]), "tensors": j["tensors"],
                            "transferred_bytes": j["transferred_bytes"], "requests": j["source"]["requests"],
                            "hf_line": hf_out.strip()})
            print(latency, repo, {k: round(statistics.median(v), 3) for k, v in times.items()}, file=sys.stderr)
    finally:
        server.kill()
load_end = load()

def ms(x):
    return f"{x * 1000:.0f} ms"

lines = ["# heft vs huggingface_hub: reading a Hub repo's safetensors headers over HTTP", "",
         "Written by `bench/hub-speed.sh` (" + time.strftime("%Y-%m-%d") + "). Whole process, wall time, median of "
         + str(runs) + " interleaved runs after " + str(warmup) + " untimed round(s) of every tool (the server's JIT warms "
         "up as a real Hub's has), each with empty caches. Machine: " + str(os.cpu_count()) + " CPUs, load "
         + " ".join(load_start) + " at the start and " + " ".join(load_end) + " at the end (/proc/loadavg).", "",
         "Server: FakeHub (heft-core's test stand-in for the Hub, run standalone) on loopback, serving the synthetic "
         "repos in the Hub's URL scheme and redirecting weight files (302) to its second origin as the Hub does to "
         "its CDN; `latency` is a wait before every answer, standing in for the round trip to a real Hub (0: the "
         "loopback alone)" + ("; TCP_NODELAY on (NODELAY=1: head and body of an answer leave together)"
                               if os.environ["B_NODELAY"] else "") + ". heft: `./heft inspect hf://OWNER/NAME --json` (the launcher; JVM start-up included). "
         "huggingface_hub: `python bench/hf_metadata.py OWNER/NAME` on " + peer_name() + ", i.e. `get_safetensors_metadata` (HEAD for "
         "model.safetensors, HEAD + GET for the index, one GET of bytes 0-100000 per shard on min(32, CPUs + 4) "
         "threads), interpreter start-up and imports included.", "",
         "CPU: user + sys of the client process (the launcher's bash and the JVM, or the interpreter), and the "
         "server's CPU during the same run, medians.", "",
         *(["Before: " + before_name() + ", its own `./heft`, in the same interleaved runs (same server, same moment).",
            ""] if before else []),
         *(["Local: `./heft inspect FOLDER --json` of the same repo on disk, in the same runs.", ""] if local else []),
         "| latency | repo | shards | tensors | heft | huggingface_hub | heft / hf | heft CPU | hf CPU "
         "| server CPU heft / hf | heft requests | heft bytes received |",
         "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
for r in results:
    h, f = statistics.median(r["heft"]), statistics.median(r["hf"])
    hc, fc = statistics.median(r["heft_cpu"]), statistics.median(r["hf_cpu"])
    hs, fs = statistics.median(r["heft_server"]), statistics.median(r["hf_server"])
    lines.append(f"| {r['latency']} ms | {r['repo']} | {r['files']} | {r['tensors']:,} | {ms(h)} | {ms(f)} "
                 f"| {h / f:.2f} | {ms(hc)} | {ms(fc)} | {ms(hs)} / {ms(fs)} | {r['requests']} "
                 f"| {r['transferred_bytes']:,} |")
if before or local:
    lines += ["", "| latency | repo | heft | heft CPU |" + (" before | before CPU | heft / before (wall) |" if before else "")
              + (" local inspect | local CPU | remote CPU - local CPU |" if local else ""),
              "|---:|---|---:|---:|" + ("---:|---:|---:|" if before else "") + ("---:|---:|---:|" if local else "")]
    for r in results:
        h, hc = statistics.median(r["heft"]), statistics.median(r["heft_cpu"])
        row = f"| {r['latency']} ms | {r['repo']} | {ms(h)} | {ms(hc)} |"
        if before:
            b, bc = statistics.median(r["before"]), statistics.median(r["before_cpu"])
            row += f" {ms(b)} | {ms(bc)} | {h / b:.2f} |"
        if local:
            l, lc = statistics.median(r["local"]), statistics.median(r["local_cpu"])
            row += f" {ms(l)} | {ms(lc)} | {ms(hc - lc)} |"
        lines.append(row)
lines += ["", "Both read the same checkpoints: stored elements counted by heft (every role: weights and quantization "
          "overhead) / by huggingface_hub's parameter_count, and heft's parameters (logical weights):"]
for r in results:
    same = "same" if r["heft_parameters"] == r["hf_parameters"] else "DIFFERENT"
    lines.append(f"- {r['repo']} ({r['latency']} ms): {r['heft_parameters']:,} / {r['hf_parameters']:,} ({same}), "
                 f"parameters {r['heft_weights']:,}; hf: {r['hf_line']}")
lines += ["", "All runs (seconds):", ""]
for r in results:
    lines.append(f"- {r['repo']}, {r['latency']} ms: heft {[round(x, 3) for x in r['heft']]}, "
                 f"huggingface_hub {[round(x, 3) for x in r['hf']]}; CPU heft {[round(x, 2) for x in r['heft_cpu']]}, "
                 f"huggingface_hub {[round(x, 2) for x in r['hf_cpu']]}")
open(os.path.join(out, "results.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
