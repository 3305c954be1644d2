#!/usr/bin/env bash
# Whole-process timing of heft's quant-error scan on a generated 1+ GB F32 safetensors file.
# Usage: bench/quant-speed.sh [GB] [schemes] [threads]   (defaults: 1.1 q8_0,q4_0,q4_k 2)
# The file is written once to ${HEFT_BENCH_DIR:-/tmp}/heft-quant-speed-<GB>.safetensors and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
heft_find_jdk25
GB="${1:-1.1}"
SCHEMES="${2:-q8_0,q4_0,q4_k}"
THREADS="${3:-2}"
FILE="${HEFT_BENCH_DIR:-/tmp}/heft-quant-speed-${GB}.safetensors"
if [ ! -f heft-bench/target/heft-bench.jar ]; then
  mvn -B -ntp -q -o install -DskipTests
fi
echo "# $(date -u +%FT%TZ) $(uname -m) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -Xmx2g -cp heft-bench/target/heft-bench.jar \
  dev.heft.bench.QuantSpeed "$FILE" --make "$GB" --schemes "$SCHEMES" --threads "$THREADS"
