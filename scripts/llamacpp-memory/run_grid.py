#!/usr/bin/env python3
"""Measure llama.cpp's memory (KV cache, compute buffer, output buffer) over a grid of models and settings.

For each model shape, make_shape_gguf.py writes a weightless GGUF; probe.cpp creates a context with each setting and
prints llama_get_memory_breakdown's exact bytes; this script keeps those bytes and llama.cpp's own log lines
(`llama_kv_cache: ... KV buffer size`, `llama_kv_cache: size = ...`, `sched_reserve: ... compute buffer size`,
`llama_context: ... output buffer size`) and writes them to one JSON file with the llama.cpp version and commit.

Usage: PYTHONPATH=<llama.cpp>/gguf-py python3 run_grid.py --probe ./probe --llama-cpp <llama.cpp tree> \
           --work /tmp/shapes --out llamacpp-memory.json
"""
import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# name -> make_shape_gguf.py arguments: real models' published shapes (their config.json). The compute and output
# buffers depend on one layer's shapes, not on the layer count, and the KV cache is linear in layers, so the large
# models keep their real widths with fewer layers (the name says how many) to keep the mapped file small.
MODELS = {
    "llama-3.2-1b": "--vocab 128256 --embd 2048 --layers 16 --heads 32 --kv-heads 8 --head-dim 64 --ff 8192 --ctx 131072",
    "qwen2.5-0.5b-shape": "--vocab 151936 --embd 896 --layers 24 --heads 14 --kv-heads 2 --head-dim 64 --ff 4864 --ctx 32768",
    "mixtral-8x7b-4-layers": "--vocab 32000 --embd 4096 --layers 4 --heads 32 --kv-heads 8 --ff 14336 --ctx 32768 --experts 8 --experts-used 2",
    "gemma-2-9b-6-layers": "--arch gemma2 --vocab 256000 --embd 3584 --layers 6 --heads 16 --kv-heads 8 --head-dim 256 --ff 14336 --ctx 8192 --swa 4096",
    "llama-3.1-8b": "--vocab 128256 --embd 4096 --layers 32 --heads 32 --kv-heads 8 --ff 14336 --ctx 131072",
}

# (n_ctx, n_batch, n_ubatch, flash_attn, type_k, type_v, n_seq_max)
SETTINGS = [
    (4096, 2048, 512, 0, "f16", "f16", 1),
    (8192, 2048, 512, 0, "f16", "f16", 1),
    (8192, 2048, 512, 1, "f16", "f16", 1),
    (16384, 2048, 512, 1, "f16", "f16", 1),
    (16384, 2048, 512, 0, "f16", "f16", 1),
    (8192, 2048, 256, 0, "f16", "f16", 1),
    (8192, 2048, 2048, 1, "f16", "f16", 1),
    (8192, 2048, 128, 1, "f16", "f16", 1),
    (8192, 2048, 512, 1, "q8_0", "q8_0", 1),
    (8192, 2048, 512, 1, "q4_0", "q4_0", 1),
    (8192, 2048, 512, 1, "q8_0", "f16", 1),
    (8192, 2048, 512, 1, "q5_1", "q4_1", 1),
    (8192, 2048, 512, 1, "iq4_nl", "q5_0", 1),
    (8192, 2048, 512, 0, "q8_0", "f16", 1),
    (5000, 2048, 512, 1, "f16", "f16", 1),
    (8192, 2048, 512, 1, "f16", "f16", 4),
]

LINES = re.compile(r"(KV buffer size|llama_kv_cache: size =|compute buffer size =|output buffer size|"
                   r"creating .*KV cache|n_ctx +=|n_ubatch +=|n_outputs_max)")


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--probe", required=True)
    ap.add_argument("--llama-cpp", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--fixtures", default=os.path.join(HERE, "../../../shared/fixtures/gguf"))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    commit = run(["git", "-C", a.llama_cpp, "rev-parse", "HEAD"]).stdout.strip()
    version = re.search(r'LLAMA_VERSION_MAJOR (\d+)\)\s*set\(LLAMA_VERSION_MINOR (\d+)\)\s*set\(LLAMA_VERSION_PATCH (\d+)',
                        open(os.path.join(a.llama_cpp, "CMakeLists.txt")).read())
    result = {"llama_cpp_commit": commit, "llama_cpp_version": ".".join(version.groups()) if version else "?",
              "backend": "CPU (ggml CPU backend, n_gpu_layers 0)", "cases": []}
    models = dict(MODELS)
    paths = {}
    for name, args in models.items():
        path = os.path.join(a.work, name + ".gguf")
        r = run([sys.executable, os.path.join(HERE, "make_shape_gguf.py"), path] + args.split())
        if r.returncode:
            sys.exit(r.stderr)
        paths[name] = path
    paths["tiny-llama-Q4_K_M (fixture)"] = os.path.join(a.fixtures, "tiny-llama-Q4_K_M.gguf")
    models["tiny-llama-Q4_K_M (fixture)"] = "../shared/fixtures/gguf/tiny-llama-Q4_K_M.gguf"
    for name, path in paths.items():
        for s in SETTINGS:
            n_ctx, n_batch, n_ubatch, fa, tk, tv, seqs = s
            r = run([a.probe, path] + [str(x) for x in s])
            case = {"model": name, "shape": models[name], "n_ctx": n_ctx, "n_batch": n_batch, "n_ubatch": n_ubatch,
                    "flash_attn": bool(fa), "type_k": tk, "type_v": tv, "n_seq_max": seqs}
            if r.returncode:
                case["error"] = [l for l in r.stderr.splitlines() if "error" in l.lower() or "failed" in l][-3:]
            else:
                case["breakdown"] = json.loads(r.stdout)
                case["log"] = [l for l in r.stderr.splitlines() if LINES.search(l)]
            result["cases"].append(case)
            print(name, s, "error" if r.returncode else case["breakdown"]["buffers"], file=sys.stderr)
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
