#!/usr/bin/env python3
"""Reference for heft's Hugging Face <-> llama.cpp name table (dev.heft.core.names.LlamaCppNames).

Asks llama.cpp's own gguf-py (the `gguf` package on PyPI, which carries gguf/tensor_mapping.py and gguf/constants.py)
what each transformers tensor name becomes in a GGUF file, for every llama.cpp architecture, and writes the answers as
JSON. heft's test LlamaCppNamesTest checks its table against this file; nothing here is typed by hand except the list
of transformers names to ask about.

    python3 -m venv venv && venv/bin/pip install gguf==0.19.0
    venv/bin/python scripts/names/gguf_tensor_map.py > heft-core/src/test/resources/names/gguf-tensor-map.json
"""
import json
import sys

import gguf
from gguf.tensor_mapping import get_tensor_name_map

# Where transformers families put their blocks and top-level modules.
BLOCK_PREFIXES = ["model.layers.{bid}", "transformer.h.{bid}", "gpt_neox.layers.{bid}", "transformer.blocks.{bid}",
                  "backbone.layers.{bid}", "model.language_model.layers.{bid}", "language_model.model.layers.{bid}",
                  "h.{bid}", "layers.{bid}"]
BLOCK = ["input_layernorm", "ln_1", "ln_attn", "self_attn.q_proj", "attn.q_proj", "self_attn.k_proj", "attn.k_proj",
         "self_attn.v_proj", "attn.v_proj", "self_attn.qkv_proj", "attn.c_attn", "self_attention.query_key_value",
         "attention.query_key_value", "self_attn.o_proj", "self_attn.dense", "attn.out_proj", "attn.c_proj",
         "self_attention.dense", "attention.dense", "self_attn.q_norm", "self_attn.k_norm", "self_attn.sinks",
         "self_attn.q_a_proj", "self_attn.q_b_proj", "self_attn.q_a_layernorm", "self_attn.kv_a_proj_with_mqa",
         "self_attn.kv_a_layernorm", "self_attn.kv_b_proj", "self_attn.k_b_proj", "self_attn.v_b_proj",
         "post_attention_layernorm", "ln_2", "ln_mlp", "pre_feedforward_layernorm", "post_feedforward_layernorm",
         "mlp.gate_proj", "mlp.up_proj", "mlp.gate_up_proj", "mlp.c_fc", "mlp.dense_h_to_4h", "mlp.fc1",
         "mlp.down_proj", "mlp.c_proj", "mlp.dense_4h_to_h", "mlp.fc2", "mlp.gate", "block_sparse_moe.gate",
         "mlp.router", "mlp.gate.e_score_correction", "mlp.shared_experts.gate_proj", "mlp.shared_expert.gate_proj",
         "mlp.shared_experts.up_proj", "mlp.shared_expert.up_proj", "mlp.shared_experts.down_proj",
         "mlp.shared_expert.down_proj", "mlp.shared_expert_gate", "mlp.experts.gate_proj", "mlp.experts.up_proj",
         "mlp.experts.down_proj", "block_sparse_moe.experts.w1", "block_sparse_moe.experts.w3",
         "block_sparse_moe.experts.w2"]
GLOBAL = ["model.embed_tokens", "transformer.wte", "gpt_neox.embed_in", "transformer.word_embeddings",
          "model.language_model.embed_tokens", "language_model.model.embed_tokens", "backbone.embeddings",
          "embed_tokens", "transformer.wpe", "transformer.word_embeddings_layernorm", "model.norm", "transformer.ln_f",
          "gpt_neox.final_layer_norm", "transformer.norm_f", "model.language_model.norm", "language_model.model.norm",
          "backbone.norm_f", "norm", "lm_head", "embed_out", "language_model.lm_head"]
SUFFIXES = (".weight", ".bias")


def lookup(full_names):
    """full name -> sorted list of the GGUF names some architecture gives it (usually exactly one)."""
    found = {n: set() for n in full_names}
    for arch in gguf.MODEL_ARCH:
        tmap = get_tensor_name_map(arch, 4)
        for n in full_names:
            for suffix in SUFFIXES:
                g = tmap.get_name(n + suffix, try_suffixes=SUFFIXES)
                if g is not None:
                    found[n].add(g[: -len(suffix)])
                    break
    return found


def main():
    # One lookup over every name: gguf-py 0.19.0's TensorNameMap answers a repeated question about the same name
    # differently (get_name keeps state), so each full name is asked once per architecture.
    full = {p.replace("{bid}", "3") + "." + path: path for path in BLOCK for p in BLOCK_PREFIXES}
    answers = lookup(list(full) + GLOBAL)
    block_out = {path: set() for path in BLOCK}
    for n, path in full.items():
        block_out[path] |= {h.replace("blk.3.", "", 1) for h in answers[n]}
    block_out = {k: sorted(v) for k, v in block_out.items()}
    global_out = {n: sorted(answers[n]) for n in GLOBAL}
    json.dump({
        "producer": "gguf-py " + getattr(gguf, "__version__", "0.19.0") + " (gguf/tensor_mapping.py TensorNameMap, "
                    "gguf/constants.py MODEL_ARCH_NAMES) via scripts/names/gguf_tensor_map.py",
        "arch_names": sorted(gguf.MODEL_ARCH_NAMES.values()),
        "block": block_out,
        "global": global_out,
    }, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
