#!/usr/bin/env python3
"""Minimal safetensors header reader: the baseline `heft inspect` is timed against.

For a folder it reads model.safetensors.index.json (or every *.safetensors), then, per shard, the 8-byte
little-endian header length and the header with json.loads, and sums tensors, elements and bytes. It validates
nothing (no offsets, no sizes), so it is a floor for what a header-only reader in Python costs.
Usage: st_header_reader.py DIR_OR_FILE
"""
import json
import math
import os
import struct
import sys


def shards(path):
    if os.path.isfile(path):
        return [path]
    index = os.path.join(path, "model.safetensors.index.json")
    if os.path.exists(index):
        with open(index, "rb") as f:
            names = sorted(set(json.load(f)["weight_map"].values()))
        return [os.path.join(path, n) for n in names]
    return sorted(os.path.join(path, n) for n in os.listdir(path) if n.endswith(".safetensors"))


def main():
    tensors = params = nbytes = 0
    files = shards(sys.argv[1])
    for name in files:
        with open(name, "rb") as f:
            (n,) = struct.unpack("<Q", f.read(8))
            header = json.loads(f.read(n))
        for key, info in header.items():
            if key == "__metadata__":
                continue
            tensors += 1
            params += math.prod(info["shape"])
            begin, end = info["data_offsets"]
            nbytes += end - begin
    print(f"safetensors files={len(files)} tensors={tensors} parameters={params} bytes={nbytes}")


if __name__ == "__main__":
    main()
