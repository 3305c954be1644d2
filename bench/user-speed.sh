#!/usr/bin/env bash
# What a user waits for: whole `./heft` commands, timed side by side with the peer tool a user would otherwise run,
# interleaved in the same rounds (bench/timing.py) so that they share the machine's load (issue 12's rule: every result
# in bench/ has a row for the exact command a user types). Writes bench/RESULTS-user.md.
#
# Rows: inspect of the DeepSeek-V3 layout (163 shards) and the Llama-3.1-405B layout (191 shards) vs the Python json
# header reader; inspect of a Llama-3.1-70B Q4_K_M GGUF layout vs @huggingface/gguf under node; inspect of the bundled
# example; the start-up floor (the JVM alone, Python alone, the 405B row's peer); quant-error --scheme q8_0 on a
# 1.34 GB F32 safetensors file vs a numpy round trip (bench/q8_0_numpy.py);
# quant-error --scheme q4_k on a 1.07 GB F32 GGUF (a 268 M-parameter llama layout) vs llama.cpp's
# `llama-quantize F32.gguf OUT.gguf Q4_K_M` on the same file and the same cores (elements per second compared).
#
# Environment: RUNS (default 5), WARMUP (default 1), QUANT_RUNS (default RUNS; the "before" quant-error takes ~40 s
# of CPU a run), BENCH_OUT (default bench-out), BEFORE (optional: another built checkout, e.g.
# `git worktree add --detach ../before <commit> && (cd ../before && ./heft --version)`, linked as bench-out/before so
# that every command in the results is a relative path; its `./heft` is timed in the same rounds as "before"),
# LLAMA_QUANTIZE (the llama-quantize binary; default bench-out/llama.cpp/llama-quantize, e.g. a link to a llama.cpp
# build's bin folder, else llama-quantize on PATH; without one the q4_k row is timed for heft alone, with a note).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
heft_find_jdk25
RUNS="${RUNS:-5}"
WARMUP="${WARMUP:-1}"
QUANT_RUNS="${QUANT_RUNS:-$RUNS}"
out="${BENCH_OUT:-bench-out}"
mkdir -p "$out"
java="$JAVA_HOME/bin/java"
python="$(python3 -c 'import sys; print(sys.executable)')" # the interpreter itself, not a pyenv shim script
# The interpreter of the Python header reader (the inspect rows' peer): PEER_PYTHON, else the same python3. Interpreters
# start at different speeds (here a pyenv-built 3.11.7 takes 60 ms for `-c pass`, Debian's /usr/bin/python3 3.11.2 20
# ms), so name the fastest one you have for the strictest comparison; its version goes into the results. The numpy
# peer runs on python3 (numpy's work, not the interpreter's start, is most of its time; it needs numpy installed).
peer_python="${PEER_PYTHON:-$python}"
export HEFT_BENCH_PEER_PYTHON="$peer_python"

if [ ! -f heft-bench/target/heft-bench.jar ]; then ./build bench; fi
gen() { "$java" -cp heft-bench/target/heft-bench.jar dev.heft.bench.SyntheticCheckpoints "$@"; }
[ -f "$out/deepseek-v3/model.safetensors.index.json" ] || gen deepseek-v3 "$out/deepseek-v3"
[ -f "$out/llama-3.1-405b/model.safetensors.index.json" ] || gen llama-405b "$out/llama-3.1-405b"
[ -f "$out/llama-3.1-70b-q4_k_m.gguf" ] || gen gguf-70b "$out/llama-3.1-70b-q4_k_m.gguf"
quant="$out/quant-f32.safetensors"
[ -f "$quant" ] || "$java" --add-modules jdk.incubator.vector -cp heft-bench/target/heft-bench.jar \
  dev.heft.bench.QuantSpeed "$quant" --make 1.34 --schemes q8_0 >/dev/null
quant_gguf="$out/quant-llama-f32.gguf"
# Written by llama.cpp's gguf-py (bench/make_quant_gguf.py) when it is importable: `pip install gguf numpy`, or
# GGUF_PY=<llama.cpp checkout>/gguf-py (GGUF_PYTHON: an interpreter that has them); without them the q4_k row is skipped.
[ -f "$quant_gguf" ] || "${GGUF_PYTHON:-$python}" bench/make_quant_gguf.py "$quant_gguf" >/dev/null 2>&1 || rm -f "$quant_gguf"
llama_quantize="${LLAMA_QUANTIZE:-$out/llama.cpp/llama-quantize}"
if [ ! -x "$llama_quantize" ]; then llama_quantize="$(command -v llama-quantize || true)"; fi
node_cmd=""
if command -v node >/dev/null; then
  if [ ! -d "$out/node/node_modules/@huggingface/gguf" ]; then
    (mkdir -p "$out/node" && cd "$out/node" && npm install --no-audit --no-fund @huggingface/gguf >/dev/null 2>&1) || true
  fi
  if [ -d "$out/node/node_modules/@huggingface/gguf" ]; then
    cp bench/gguf_hf.mjs "$out/node/gguf_hf.mjs"
    node_cmd="node $out/node/gguf_hf.mjs"
  fi
fi
before=""
if [ -n "${BEFORE:-}" ]; then
  ln -sfn "$(cd "$BEFORE" && pwd)" "$out/before"
  before="$out/before/heft"
  "$before" --version >/dev/null # builds it and trains its AOT cache if needed, outside the timed runs
fi
./heft --version >/dev/null # the same for this checkout
./heft quant-error --scheme q8_0 examples/tiny-llama-Q4_K_M.gguf >/dev/null 2>&1 || true # trains quant-error's AOT cache

# label=command pairs for one group, timed in the same rounds.
group() {
  local name="$1" runs="$2"
  shift 2
  echo "== $name" >&2
  "$python" bench/timing.py "$out/timing-$name.json" "$runs" "$WARMUP" "$@"
}
row() { [ -n "$before" ] && echo "before: ./heft $*=$before $*"; echo "after: ./heft $*=./heft $*"; }
mapfile -t ds < <(row inspect "$out/deepseek-v3")
group deepseek-v3 "$RUNS" "${ds[@]}" "peer: Python json header reader=$peer_python bench/st_header_reader.py $out/deepseek-v3"
mapfile -t ll < <(row inspect "$out/llama-3.1-405b")
group llama-405b "$RUNS" "${ll[@]}" "peer: Python json header reader=$peer_python bench/st_header_reader.py $out/llama-3.1-405b"
mapfile -t gg < <(row inspect "$out/llama-3.1-70b-q4_k_m.gguf")
[ -n "$node_cmd" ] && gg+=("peer: @huggingface/gguf (node)=$node_cmd $out/llama-3.1-70b-q4_k_m.gguf")
group gguf-70b "$RUNS" "${gg[@]}"
mapfile -t ex < <(row inspect examples/tiny-llama-Q4_K_M.gguf)
group example "$RUNS" "${ex[@]}"
# The floor under the inspect rows: the JVM starting and printing a line (bench/JvmFloor.java, no heft in it, the
# default CDS archive, the one-shot commands' collector and JIT) and the Python interpreter doing nothing, beside the
# 405B row's command and its peer, in the same rounds.
mkdir -p "$out/floor"
[ "$out/floor/JvmFloor.class" -nt bench/JvmFloor.java ] || "$JAVA_HOME/bin/javac" --release 25 -d "$out/floor" bench/JvmFloor.java
group floor "$RUNS" "after: ./heft inspect $out/llama-3.1-405b=./heft inspect $out/llama-3.1-405b" \
  "JVM alone=$java -XX:-UsePerfData -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp $out/floor JvmFloor" \
  "Python alone=$peer_python -c pass" \
  "peer: Python json header reader=$peer_python bench/st_header_reader.py $out/llama-3.1-405b"
mapfile -t qe < <(row quant-error --scheme q8_0 "$quant")
group quant-q8_0 "$QUANT_RUNS" "${qe[@]}" "peer: numpy Q8_0 round trip + RMSE=$python bench/q8_0_numpy.py $quant"
if [ -f "$quant_gguf" ]; then
  mapfile -t qk < <(row quant-error --scheme q4_k "$quant_gguf")
  if [ -n "$llama_quantize" ]; then
    # Q4_K_M with its default thread count (all cores); the output is overwritten each run (a page-cache write).
    qk+=("peer: llama-quantize Q4_K_M=$llama_quantize $quant_gguf $out/quant-llama-q4_k_m.gguf Q4_K_M")
  else
    echo "no llama-quantize (set LLAMA_QUANTIZE or link a llama.cpp build's bin folder as $out/llama.cpp): q4_k row without its peer" >&2
  fi
  group quant-q4_k "$QUANT_RUNS" "${qk[@]}"
  ./heft quant-error --json --scheme q4_k "$quant_gguf" >"$out/quant-q4_k.json" # elements scanned, for elements/s
else
  # An F32 llama-layout GGUF that llama-quantize accepts: bench/make_quant_gguf.py writes it where gguf-py imports.
  rm -f "$out/timing-quant-q4_k.json"
  echo "no $quant_gguf (an F32 llama GGUF llama-quantize accepts): q4_k row skipped" >&2
fi
"$python" bench/user_results.py "$out" bench/RESULTS-user.md
echo "wrote bench/RESULTS-user.md" >&2
