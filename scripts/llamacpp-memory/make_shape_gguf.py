#!/usr/bin/env python3
"""Write a GGUF with a real model's shapes and no weight data (a sparse hole), for llama.cpp memory measurements.

llama.cpp sizes its KV cache, compute buffer and output buffer from hyperparameters and tensor shapes alone; the
weight values never enter those sizes. So this writes the metadata and tensor infos with gguf-py's GGUFWriter
(gguf-py from the same llama.cpp tree), then extends the file to its full length with a hole instead of writing
weights: a 70B-shaped file takes a few MB of disk. llama.cpp memory-maps it and only reads pages it touches; the
probe (probe.cpp) never evaluates a token, so none are touched.

Tensor sets follow llama.cpp's loaders (src/models/llama.cpp for `llama`, incl. Mixtral-style experts;
src/models/gemma2.cpp for `gemma2`), the vocabulary is the minimal SentencePiece one of
../../shared/fixtures/gguf/tools/gen_llama_gguf.py (n_vocab tokens).

Usage: PYTHONPATH=<llama.cpp>/gguf-py python3 make_shape_gguf.py OUT.gguf --arch llama --vocab 128256 --embd 4096
          --layers 32 --heads 32 --kv-heads 8 --ff 14336 --ctx 131072 [--experts 8 --experts-used 2] [--swa 4096]
"""
import argparse
import os

import numpy as np
import gguf

T = gguf.GGMLQuantizationType


def make_vocab(n_vocab):
    tokens, scores, types = ["<unk>", "<s>", "</s>"], [0.0, 0.0, 0.0], [2, 3, 3]
    for b in range(256):
        tokens.append("<0x%02X>" % b)
        scores.append(0.0)
        types.append(6)
    i = 0
    while len(tokens) < n_vocab:
        tokens.append("\u2581tok%d" % i)
        scores.append(-float(i))
        types.append(1)
        i += 1
    return tokens, scores, types


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--arch", default="llama", choices=["llama", "gemma2"])
    ap.add_argument("--vocab", type=int, required=True)
    ap.add_argument("--embd", type=int, required=True)
    ap.add_argument("--layers", type=int, required=True)
    ap.add_argument("--heads", type=int, required=True)
    ap.add_argument("--kv-heads", type=int, required=True)
    ap.add_argument("--head-dim", type=int, default=0)
    ap.add_argument("--ff", type=int, required=True)
    ap.add_argument("--ctx", type=int, default=8192)
    ap.add_argument("--experts", type=int, default=0)
    ap.add_argument("--experts-used", type=int, default=0)
    ap.add_argument("--swa", type=int, default=0, help="gemma2 sliding window")
    ap.add_argument("--weight-type", default="Q4_0", help="ggml type of the 2-D weights (F16, Q8_0, Q4_0, ...)")
    a = ap.parse_args()

    head_dim = a.head_dim or a.embd // a.heads
    wtype = T[a.weight_type]
    wr = gguf.GGUFWriter(a.out, a.arch)
    wr.add_type(gguf.GGUFType.MODEL)
    wr.add_name("shape-only-%s" % a.arch)
    wr.add_description("shapes only, no weights (a sparse hole): for memory measurements, not inference")
    wr.add_vocab_size(a.vocab)
    wr.add_context_length(a.ctx)
    wr.add_embedding_length(a.embd)
    wr.add_block_count(a.layers)
    wr.add_feed_forward_length(a.ff)
    wr.add_head_count(a.heads)
    wr.add_head_count_kv(a.kv_heads)
    wr.add_key_length(head_dim)
    wr.add_value_length(head_dim)
    wr.add_rope_dimension_count(head_dim)
    wr.add_layer_norm_rms_eps(1e-5)
    wr.add_rope_freq_base(10000.0)
    if a.experts:
        wr.add_expert_count(a.experts)
        wr.add_expert_used_count(a.experts_used)
    if a.arch == "gemma2":
        wr.add_sliding_window(a.swa or 4096)
        wr.add_attn_logit_softcapping(50.0)
        wr.add_final_logit_softcapping(30.0)

    tokens, scores, types = make_vocab(a.vocab)
    wr.add_tokenizer_model("llama")
    wr.add_tokenizer_pre("default")
    wr.add_token_list(tokens)
    wr.add_token_scores(scores)
    wr.add_token_types(types)
    wr.add_bos_token_id(1)
    wr.add_eos_token_id(2)
    wr.add_unk_token_id(0)

    def put(name, ne, qtype):
        # ne in ggml order (ne[0] = row length); gguf-py takes numpy order
        shape = list(reversed(ne))
        n = int(np.prod(ne))
        bs, ts = gguf.GGML_QUANT_SIZES[qtype]
        if ne[0] % bs:
            qtype = T.F16
            bs, ts = gguf.GGML_QUANT_SIZES[qtype]
        wr.add_tensor_info(name, shape, np.float32 if qtype == T.F32 else np.float16, n // bs * ts, raw_dtype=qtype)

    q, kv = a.heads * head_dim, a.kv_heads * head_dim
    put("token_embd.weight", [a.embd, a.vocab], wtype)
    put("output_norm.weight", [a.embd], T.F32)
    if a.arch == "llama":
        put("output.weight", [a.embd, a.vocab], wtype)
    for i in range(a.layers):
        p = "blk.%d." % i
        put(p + "attn_norm.weight", [a.embd], T.F32)
        put(p + "attn_q.weight", [a.embd, q], wtype)
        put(p + "attn_k.weight", [a.embd, kv], wtype)
        put(p + "attn_v.weight", [a.embd, kv], wtype)
        put(p + "attn_output.weight", [q, a.embd], wtype)
        put(p + "ffn_norm.weight", [a.embd], T.F32)
        if a.arch == "gemma2":
            put(p + "post_attention_norm.weight", [a.embd], T.F32)
            put(p + "post_ffw_norm.weight", [a.embd], T.F32)
        if a.experts:
            put(p + "ffn_gate_inp.weight", [a.embd, a.experts], T.F32)
            put(p + "ffn_gate_exps.weight", [a.embd, a.ff, a.experts], wtype)
            put(p + "ffn_up_exps.weight", [a.embd, a.ff, a.experts], wtype)
            put(p + "ffn_down_exps.weight", [a.ff, a.embd, a.experts], wtype)
        else:
            put(p + "ffn_gate.weight", [a.embd, a.ff], wtype)
            put(p + "ffn_up.weight", [a.embd, a.ff], wtype)
            put(p + "ffn_down.weight", [a.ff, a.embd], wtype)

    wr.write_header_to_file()
    wr.write_kv_data_to_file()
    wr.write_ti_data_to_file()
    f = wr.fout[0]
    start = gguf.GGUFWriter.ggml_pad(f.tell(), wr.data_alignment)
    data = sum(gguf.GGUFWriter.ggml_pad(ti.nbytes, wr.data_alignment) for ti in wr.tensors[0].values())
    f.flush()
    os.truncate(f.name, start + data)  # the weights: a hole, read back as zeros
    wr.close()


if __name__ == "__main__":
    main()
