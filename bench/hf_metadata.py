"""The baseline for bench/hub-speed.sh: huggingface_hub's get_safetensors_metadata on one repo.

Prints the repo's parameter count (the sum of huggingface_hub's per-dtype parameter_count over every shard), so the
script can check that heft and huggingface_hub read the same checkpoint. HF_ENDPOINT points it at the loopback server.
"""
import sys

from huggingface_hub import get_safetensors_metadata

meta = get_safetensors_metadata(sys.argv[1])
total = sum(sum(f.parameter_count.values()) for f in meta.files_metadata.values())
print(f"{len(meta.files_metadata)} files, {len(meta.weight_map)} tensors, {total} parameters")
