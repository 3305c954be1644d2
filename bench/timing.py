#!/usr/bin/env python3
"""Whole-process timing of commands, side by side, on a shared machine.

Usage: timing.py OUT.json RUNS WARMUP 'LABEL=COMMAND' ['LABEL=COMMAND' ...]

Every round runs each command once, in the order given (warm-up rounds first, not recorded), so that all commands
see the same load: on a machine other jobs share, load drifts by the minute, and timing one command's runs after
another's would compare different minutes. Per run it records wall time and the process's CPU time (user + sys from
wait4's rusage: what /usr/bin/time prints, in microseconds instead of its 10 ms steps; it includes the children the
process waited for, such as a launcher script's own commands). CPU time is far less sensitive to load than wall
time: a process waiting for a core accrues none, so it is the figure to compare before/after on a busy machine.
The load average and `uptime` are recorded before and after. COMMAND is split like a shell would (shlex) and run
without a shell, stdout discarded; a non-zero exit stops the run.
"""
import json
import os
import shlex
import statistics
import subprocess
import sys
import time


def run_once(argv):
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode != 0:
        sys.exit(f"timing: '{shlex.join(argv)}' exited {proc.returncode}: {err.strip()[-500:]}")
    return wall, usage.ru_utime, usage.ru_stime


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main():
    dest, runs, warmup, specs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    commands = []
    for spec in specs:
        label, _, command = spec.partition("=")
        commands.append({"label": label, "command": command, "argv": shlex.split(command),
                         "wall": [], "user": [], "sys": []})
    before = uptime()
    for r in range(warmup + runs):
        for c in commands:
            wall, user, system = run_once(c["argv"])
            if r >= warmup:
                c["wall"].append(wall)
                c["user"].append(user)
                c["sys"].append(system)
    after = uptime()
    for c in commands:
        cpu = [u + s for u, s in zip(c["user"], c["sys"])]
        c.update({"cpu": cpu, "wall_median": statistics.median(c["wall"]), "wall_min": min(c["wall"]),
                  "wall_max": max(c["wall"]), "cpu_median": statistics.median(cpu), "cpu_min": min(cpu),
                  "user_median": statistics.median(c["user"]), "sys_median": statistics.median(c["sys"])})
        del c["argv"]
    json.dump({"runs": runs, "warmup": warmup, "uptime_before": before, "uptime_after": after,
               "results": commands}, open(dest, "w"), indent=1)
    for c in commands:
        print(f"{c['label']}: wall median {c['wall_median'] * 1e3:.0f} ms (min {c['wall_min'] * 1e3:.0f}), "
              f"CPU median {c['cpu_median'] * 1e3:.0f} ms", file=sys.stderr)


if __name__ == "__main__":
    main()
