#!/usr/bin/env python3
"""Writes bench/RESULTS-user.md from the timing-*.json files bench/user-speed.sh leaves in its output folder.

Usage: user_results.py OUT_DIR RESULTS.md
"""
import json
import re
import os
import platform
import subprocess
import sys

GROUPS = [
    ("deepseek-v3", "inspect: DeepSeek-V3 layout, 163 bf16 safetensors shards + index (45,395 tensors)"),
    ("llama-405b", "inspect: Llama-3.1-405B layout, 191 bf16 safetensors shards + index (1,137 tensors)"),
    ("gguf-70b", "inspect: Llama-3.1-70B Q4_K_M GGUF layout (723 tensors, 70.55 B parameters; @huggingface/gguf counts the same)"),
    ("example", "inspect: the bundled example (examples/tiny-llama-Q4_K_M.gguf)"),
    ("floor", "start-up floor: the JVM alone (bench/JvmFloor.java: no heft, default CDS archive) and Python alone, "
              "beside the 405B row's command and its peer"),
    ("quant-q8_0", "quant-error --scheme q8_0: 1.34 GB F32 safetensors (20 x [4096, 4096], page cache warm)"),
    ("quant-q4_k", "quant-error --scheme q4_k vs llama-quantize Q4_K_M: 1.07 GB F32 GGUF (llama layout, 16 x [4096, 4096] "
                   "matrices + 5 norms)"),
]

# What the q4_k table compares: both tools round every 2-D weight of the same file through a K-quant on the same
# cores. llama-quantize's Q4_K_M mixture turns 3 of the 16 matrices into Q6_K instead of Q4_K and writes the result;
# heft quant-error runs Q4_K on all 16 and sums the error instead of writing. Elements per second counts the 2-D
# weight elements (heft's own count from its --json run, bench-out/quant-q4_k.json), the same for both.
Q4K_NOTE = ("Both tools round every 2-D weight of the file on the same cores (default threads: all). llama-quantize's "
            "Q4_K_M mixture makes 3 of the 16 matrices Q6_K instead of Q4_K and writes the quantized file (page "
            "cache); heft runs Q4_K on all 16 and sums the error instead of writing. Elements/s = the {elements:,} "
            "2-D weight elements (heft's `--json` count) / wall or CPU seconds.")


def git(*args, cwd="."):
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def shown(command):
    # The Python peer runs the interpreter itself (sys.executable): shown as python3, without the machine's path; the
    # floor row's java likewise.
    # A llama-quantize given by absolute path (LLAMA_QUANTIZE) is shown by its name only, for the same reason.
    def word(w):
        if os.path.isabs(w) and os.path.basename(w).startswith("python"):
            return "python3"
        if os.path.isabs(w) and os.path.basename(w) == "llama-quantize":
            return "llama-quantize"
        if os.path.isabs(w) and os.path.basename(w) == "java":  # the JDK's java (the floor row), not the machine's path
            return "java"
        return w
    return " ".join(word(w) for w in command.split())


def ms(seconds):
    return f"{seconds * 1e3:,.0f}"


NOTES_MARKER = "<!-- notes below are kept by bench/user_results.py -->"


def load_line(out):
    """The 1-minute load averages the groups' `uptime` lines recorded, lowest to highest."""
    loads = []
    for name, _ in GROUPS:
        path = os.path.join(out, f"timing-{name}.json")
        if os.path.exists(path):
            data = json.load(open(path))
            for key in ("uptime_before", "uptime_after"):
                m = re.search(r"load average: ([0-9.]+)", data.get(key, ""))
                if m:
                    loads.append(float(m.group(1)))
    if not loads:
        return "- load average: not recorded"
    return (f"- load average (1 min) during the runs: {min(loads):.2f} to {max(loads):.2f} on "
            f"{os.cpu_count()} CPUs; on a loaded machine wall times include waiting for a CPU: compare CPU first")


def peer_python():
    """The Python header reader's interpreter (user-speed.sh's PEER_PYTHON): its version and where it comes from, no path."""
    exe = os.environ.get("HEFT_BENCH_PEER_PYTHON", sys.executable)
    try:
        version = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        version = "Python ?"
    origin = "pyenv" if "/.pyenv/" in exe else "system" if exe.startswith("/usr/") else "other"
    return f"{version} ({origin})"


def main():
    out, dest = sys.argv[1], sys.argv[2]
    after = git("rev-parse", "--short", "HEAD")
    before = git("rev-parse", "--short", "HEAD", cwd=os.path.join(out, "before")) \
        if os.path.isdir(os.path.join(out, "before")) else None
    java = subprocess.run([os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "java"), "-version"],
                          capture_output=True, text=True).stderr.splitlines()
    lines = ["# What users wait for: `./heft` against the peers, whole processes", "",
             "Written by `bench/user-speed.sh` (times) and `bench/user_results.py` (this file). Every command is the",
             "exact command line, run from the repository root; the rows of one table ran interleaved, round by round",
             "(`bench/timing.py`), so they shared the same minutes of load. Medians of the measured runs after the",
             "warm-up rounds; page cache warm. CPU is the process's user + sys time (with its children: the launcher",
             "script's own commands count), from `wait4`.", "",
             f"- after: this branch at {after}" + (" (uncommitted changes)" if git("status", "--porcelain", "-uno")
                                                   else "") + "; before: " +
             (f"{before} (`bench-out/before`, a worktree of that commit built with its own `./heft`)" if before
              else "not measured"),
             f"- machine: {os.cpu_count()} CPUs ({platform.machine()}), shared with other jobs; JVM: "
             f"{java[0] if java else '?'}; Python header reader: {peer_python()}",
             load_line(out),
             ""]
    for name, title in GROUPS:
        path = os.path.join(out, f"timing-{name}.json")
        if not os.path.exists(path):
            continue
        data = json.load(open(path))
        results = data["results"]
        peer = next((r for r in results if r["label"].startswith("peer")), None)
        elements = quant_elements(out) if name == "quant-q4_k" else None
        lines += [f"## {title}", "",
                  f"{data['runs']} measured runs after {data['warmup']} warm-up round(s). `uptime` before: "
                  f"`{data['uptime_before']}`; after: `{data['uptime_after']}`.", "",
                  "| command | wall median (min-max) ms | CPU median ms (user + sys) | wall / peer | CPU / peer |",
                  "|---|---|---|---|---|"]
        for r in results:
            ratio_wall = f"{r['wall_median'] / peer['wall_median']:.2f}x" if peer else "-"
            ratio_cpu = f"{r['cpu_median'] / peer['cpu_median']:.2f}x" if peer else "-"
            lines.append(f"| {r['label'].split(':')[0]}: `{shown(r['command'])}` | {ms(r['wall_median'])} "
                         f"({ms(r['wall_min'])}-{ms(r['wall_max'])}) | {ms(r['cpu_median'])} "
                         f"({ms(r['user_median'])} + {ms(r['sys_median'])}) | {ratio_wall} | {ratio_cpu} |")
        if elements:
            lines += ["", Q4K_NOTE.format(elements=elements), "",
                      "| command | M elements/s (wall) | M elements/s (CPU) | rate / peer (wall) | rate / peer (CPU) |",
                      "|---|---|---|---|---|"]
            for r in results:
                rate_wall = elements / r["wall_median"] / 1e6
                rate_cpu = elements / r["cpu_median"] / 1e6
                ratio_wall = f"{peer['wall_median'] / r['wall_median']:.2f}x" if peer else "-"
                ratio_cpu = f"{peer['cpu_median'] / r['cpu_median']:.2f}x" if peer else "-"
                lines.append(f"| {r['label'].split(':')[0]}: `{shown(r['command'])}` | {rate_wall:.1f} | "
                             f"{rate_cpu:.1f} | {ratio_wall} | {ratio_cpu} |")
            if not peer:
                lines += ["", "No llama-quantize binary was found (set LLAMA_QUANTIZE, or link a llama.cpp build's bin "
                              "folder as bench-out/llama.cpp), so the peer row is missing."]
        lines.append("")
    notes = ""
    if os.path.exists(dest):  # hand-written reading of the figures, kept across reruns
        previous = open(dest).read()
        if NOTES_MARKER in previous:
            notes = previous[previous.index(NOTES_MARKER):]
    open(dest, "w").write("\n".join(lines) + ("\n\n" + notes if notes else ""))


def quant_elements(out):
    """Elements heft's q4_k --json run scanned (the 2-D weights), or None when that file is missing."""
    path = os.path.join(out, "quant-q4_k.json")
    if not os.path.exists(path):
        return None
    overall = json.load(open(path)).get("overall", [])
    return overall[0]["elements"] if overall else None


if __name__ == "__main__":
    main()
