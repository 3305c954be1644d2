#!/usr/bin/env python3
"""Writes bench-out/quant-llama-f32.gguf: the F32 GGUF that the q4_k row of bench/user-speed.sh quantizes with both
`./heft quant-error --scheme q4_k` and llama.cpp's `llama-quantize ... Q4_K_M`.

A 2-block llama layout (hidden 4096, 32 heads, FFN 4096, vocabulary 4096: 268,455,936 parameters, 1.07 GB) with
random N(0, 0.02) weights from a fixed seed, written by llama.cpp's own gguf-py (`gguf.GGUFWriter`, the writer
convert_hf_to_gguf.py uses), with the llama hyperparameters and a placeholder tokenizer so that llama-quantize loads it
as a llama model. Not a trained model; only its size and value distribution matter for a speed comparison.

Needs numpy and gguf-py: `pip install gguf numpy`, or GGUF_PY=<llama.cpp checkout>/gguf-py.

    python3 bench/make_quant_gguf.py bench-out/quant-llama-f32.gguf
"""
import os
import sys

if os.environ.get("GGUF_PY"):
    sys.path.insert(0, os.environ["GGUF_PY"])

import numpy as np  # noqa: E402
import gguf  # noqa: E402

HIDDEN, HEADS, FFN, VOCAB, BLOCKS, SEED, STD = 4096, 32, 4096, 4096, 2, 42, 0.02


def main(path):
    rng = np.random.default_rng(SEED)

    def weights(*shape):  # GGUF lists dims innermost first; numpy's shape is (rows, cols)
        return (rng.standard_normal(shape, dtype=np.float32) * np.float32(STD)).astype(np.float32)

    w = gguf.GGUFWriter(path, "llama")
    w.add_name("bench-llama-f32")
    w.add_description(f"random weights, seed={SEED}, std={STD}; test fixture, not a trained model")
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_vocab_size(VOCAB)
    w.add_context_length(4096)
    w.add_embedding_length(HIDDEN)
    w.add_block_count(BLOCKS)
    w.add_feed_forward_length(FFN)
    w.add_rope_dimension_count(HIDDEN // HEADS)
    w.add_head_count(HEADS)
    w.add_head_count_kv(HEADS)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_rope_freq_base(10000.0)
    w.add_tokenizer_model("llama")
    w.add_tokenizer_pre("default")
    w.add_token_list([f"<t{i}>".encode() for i in range(VOCAB)])
    w.add_token_scores([0.0] * VOCAB)
    w.add_token_types([gguf.TokenType.NORMAL] * VOCAB)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(0)
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)

    w.add_tensor("token_embd.weight", weights(VOCAB, HIDDEN))
    for b in range(BLOCKS):
        w.add_tensor(f"blk.{b}.attn_norm.weight", np.ones(HIDDEN, dtype=np.float32))
        for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
            w.add_tensor(f"blk.{b}.{name}.weight", weights(HIDDEN, HIDDEN))
        w.add_tensor(f"blk.{b}.ffn_norm.weight", np.ones(HIDDEN, dtype=np.float32))
        w.add_tensor(f"blk.{b}.ffn_gate.weight", weights(FFN, HIDDEN))
        w.add_tensor(f"blk.{b}.ffn_up.weight", weights(FFN, HIDDEN))
        w.add_tensor(f"blk.{b}.ffn_down.weight", weights(HIDDEN, FFN))
    w.add_tensor("output_norm.weight", np.ones(HIDDEN, dtype=np.float32))
    w.add_tensor("output.weight", weights(VOCAB, HIDDEN))

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench-out/quant-llama-f32.gguf")
