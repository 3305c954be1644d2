#!/usr/bin/env python3
"""The numpy peer of `heft quant-error --scheme q8_0`: every F32 matrix of a safetensors file through a Q8_0 round
trip, and the RMSE over all of them.

Q8_0 as ggml's quantize_row_q8_0_ref (ggml/src/ggml-quants.c): blocks of 32 values along a row, d = max|x| / 127,
q = round(x / d) as int8, d stored as fp16; dequantized as q * d. numpy's round ties to even where roundf ties away
from zero, which changes a value only when x / d is exactly k + 0.5 (never seen on random data; the RMSE printed
matches heft's to the digits shown). Tensors are read through a memory map, one at a time, so memory stays at a few
times one tensor. Timed side by side with heft in bench/user-speed.sh.
Usage: q8_0_numpy.py FILE.safetensors
"""
import json
import math
import struct
import sys

import numpy as np


def main():
    path = sys.argv[1]
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    data = np.memmap(path, dtype=np.uint8, mode="r")
    squared, count, tensors = 0.0, 0, 0
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32" or len(info["shape"]) < 2 or info["shape"][-1] % 32:
            continue
        begin, end = info["data_offsets"]
        x = np.frombuffer(data, dtype="<f4", count=(end - begin) // 4, offset=8 + n + begin).reshape(-1, 32)
        d = np.abs(x).max(axis=1, keepdims=True) / np.float32(127)
        inverse = np.divide(np.float32(1), d, out=np.zeros_like(d), where=d != 0)
        q = np.round(x * inverse).astype(np.int8)
        error = x - q.astype(np.float32) * d.astype(np.float16).astype(np.float32)
        flat = error.ravel()
        squared += float(np.dot(flat, flat))
        count += x.size
        tensors += 1
    print(f"q8_0 tensors={tensors} elements={count} rmse={math.sqrt(squared / count):.6g}")


if __name__ == "__main__":
    main()
