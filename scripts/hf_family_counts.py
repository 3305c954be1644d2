#!/usr/bin/env python3
"""Ground truth for heft's Hugging Face family counts: transformers builds each model on the meta device and counts.

For every case below, transformers builds the model class from a config on the ``meta`` device (no weights, no
download) and this script writes what torch reports:

- ``params``: ``sum(p.numel() for p in model.parameters())`` (tied weights once);
- ``params_tied_twice``: every name counted (``named_parameters(remove_duplicate=False)``);
- ``buffers`` (persistent) and ``buffers_all`` (every registered buffer, rotary tables included);
- ``by_class``: parameters owned directly by each module class, each tensor once (the convention of
  ../shared/ground-truth/hf-architectures.json);
- ``by_module2``: parameters under the first two levels of module names (parts of a composite model);
- ``config_full`` (``config.to_dict()``) and ``config_diff`` (``config.to_diff_dict()``, what ``save_pretrained``
  writes), both with ``architectures`` naming the class built.

Each case is built twice: from the family's default config (``AutoConfig.for_model``) and from a shrunken one (fewer
layers in every stack, with per-layer lists rebuilt by the config class), so a count that memorised the defaults
fails on the second. Cases cover what ../shared/ground-truth/hf-all-types/ lacks: the families it does not hold,
task heads other than the Auto class's (BartForCausalLM, WhisperForCausalLM, BertLMHeadModel), flipped
tie_word_embeddings, and configs with the options real checkpoints set.

Run from the repository root (CPU only; transformers 5.18.0 and torch from PyPI):

    python3 -m venv venv && venv/bin/pip install torch transformers==5.18.0
    venv/bin/python scripts/hf_family_counts.py heft-core/src/test/resources/dev/heft/core/arch/hf/hf-family-counts.json

Gemma 3n's vision tower is a timm model (``pip install timm``); timm imports torchvision, whose only Linux wheel on
PyPI is a CUDA build whose C extension cannot load beside the CPU torch (see ``allow_torchvision_without_ops``).

Given case ids after the output path, only those cases are rebuilt and merged into the existing file.

A case whose model_type or class this transformers does not know is written with ``"error"`` (and skipped by the
tests), so the file says what was tried.
"""
import json
import os
import platform
import sys
import time
import traceback

import torch


def allow_torchvision_without_ops():
    """Let torchvision's Python modules import when its C extension cannot load (PyPI's Linux torchvision is built
    against CUDA torch; this generator runs the CPU build). torchvision 0.28's _meta_registrations.py registers fake
    kernels for torchvision::nms and torchvision::qnms without checking that the extension defined them; declaring
    the two schemas (as csrc/ops/nms.cpp does) lets that module import. No model counted here calls either op: timm
    imports torchvision for feature-extraction helpers, and parameters are counted on the meta device."""
    try:
        import importlib.util
        spec = importlib.util.find_spec("torchvision")
        if spec is None:
            return
        so = [f for f in os.listdir(os.path.dirname(spec.origin)) if f.startswith("_C")]
        if so:
            torch.ops.load_library(os.path.join(os.path.dirname(spec.origin), so[0]))
            return
    except OSError:
        pass
    lib = torch.library.Library("torchvision", "DEF")
    lib.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
    lib.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
    allow_torchvision_without_ops.library = lib  # keep the definitions alive


allow_torchvision_without_ops()

import transformers  # noqa: E402
from transformers import AutoConfig  # noqa: E402

LAYER_KEYS = ("num_hidden_layers", "num_layers", "n_layer", "n_layers", "encoder_layers", "decoder_layers",
              "num_decoder_layers", "num_encoder_layers", "depth", "text_layers", "vision_layers")
# per-layer lists the config classes rebuild from the layer count when absent
PER_LAYER_KEYS = ("layer_types", "mlp_only_layers", "layers_block_type", "block_types", "attn_layer_indices",
                  "full_attn_idxs", "no_rope_layers", "moe_layers", "hybrid_override_pattern", "attn_layer_period",
                  "layers_block_types", "out_features", "out_indices", "stage_names", "_out_features", "_out_indices")

# (case id, model_type, class to build or None for the Auto order, top-level config overrides)
def catalog_overrides(file_name, entry_id):
    """A catalog entry's config.json (heft-core's LLM catalog), less the keys AutoConfig.for_model sets itself."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "heft-core", "src", "main", "resources",
                        "dev", "heft", "catalog", "llm", file_name)
    with open(path) as f:
        entry = next(e for e in json.load(f) if e["id"] == entry_id)
    return {k: v for k, v in entry["config"].items() if k not in ("model_type", "architectures",
                                                                  "transformers_version")}


CASES = [
    # --- the 30 families heft counted exactly before, their other heads and flipped tie_word_embeddings ---
    ("llama", "llama", None, {}),
    ("llama-attention-bias", "llama", None, {"attention_bias": True, "mlp_bias": True}),
    ("mistral", "mistral", None, {}),
    ("mixtral", "mixtral", None, {}),
    ("qwen2", "qwen2", None, {}),
    ("qwen2_moe", "qwen2_moe", None, {}),
    ("qwen3", "qwen3", None, {}),
    ("qwen3_moe", "qwen3_moe", None, {}),
    ("gemma", "gemma", None, {}),
    ("gemma2", "gemma2", None, {}),
    ("gemma3_text", "gemma3_text", None, {}),
    ("phi", "phi", None, {}),
    ("phi-tied", "phi", None, {"tie_word_embeddings": True}),
    ("phi3", "phi3", None, {}),
    ("gpt2", "gpt2", None, {}),
    ("gpt_neox", "gpt_neox", None, {}),
    ("gptj", "gptj", None, {}),
    ("gptj-tied", "gptj", None, {"tie_word_embeddings": True}),
    ("opt", "opt", None, {}),
    ("falcon", "falcon", None, {}),
    ("bloom", "bloom", None, {}),
    ("mamba", "mamba", None, {}),
    ("deepseek_v2", "deepseek_v2", None, {}),
    ("deepseek_v3", "deepseek_v3", None, {}),
    ("gpt_oss", "gpt_oss", None, {}),
    ("bert", "bert", None, {}),
    ("bert-mlm-untied", "bert", "BertForMaskedLM", {"tie_word_embeddings": False}),
    ("bert-lm-head", "bert", "BertLMHeadModel", {"is_decoder": True}),
    ("bert-pretraining-untied", "bert", "BertForPreTraining", {"tie_word_embeddings": False}),
    ("roberta", "roberta", None, {}),
    ("roberta-mlm-untied", "roberta", "RobertaForMaskedLM", {"tie_word_embeddings": False}),
    ("roberta-causal-lm", "roberta", "RobertaForCausalLM", {"is_decoder": True}),
    ("distilbert", "distilbert", None, {}),
    ("distilbert-mlm-untied", "distilbert", "DistilBertForMaskedLM", {"tie_word_embeddings": False}),
    ("albert", "albert", None, {}),
    ("albert-mlm-untied", "albert", "AlbertForMaskedLM", {"tie_word_embeddings": False}),
    ("t5", "t5", None, {}),
    ("t5-untied", "t5", None, {"tie_word_embeddings": False}),
    ("bart", "bart", None, {}),
    ("bart-untied", "bart", None, {"tie_word_embeddings": False}),
    ("bart-model-untied", "bart", "BartModel", {"tie_word_embeddings": False}),
    ("bart-causal-lm", "bart", "BartForCausalLM", {}),
    ("bart-causal-lm-untied", "bart", "BartForCausalLM", {"tie_word_embeddings": False}),
    ("whisper", "whisper", None, {}),
    ("whisper-causal-lm", "whisper", "WhisperForCausalLM", {}),
    ("whisper-untied", "whisper", None, {"tie_word_embeddings": False}),
    ("vit", "vit", None, {}),
    # --- decoders people deploy ---
    ("llama4_text", "llama4_text", None, {}),
    ("llama4", "llama4", None, {}),
    # Llama-4-Maverick-17B-128E (published config.json): 128 experts on every other layer, dense MLPs between
    ("llama4_text-maverick", "llama4_text", None, {"num_local_experts": 128, "interleave_moe_layer_step": 2}),
    ("llama4-maverick", "llama4", None, {"text_config": {"num_local_experts": 128, "interleave_moe_layer_step": 2}}),
    # heft's catalog entries llama-4-scout-17b-16e and llama-4-maverick-17b-128e, read from the catalog file itself
    # so the case and the entry cannot drift apart (LlmCatalogTest compares the two)
    ("llama4-scout-catalog", "llama4", None, catalog_overrides("llama4.json", "llama-4-scout-17b-16e")),
    ("llama4-maverick-catalog", "llama4", None, catalog_overrides("llama4.json", "llama-4-maverick-17b-128e")),
    ("qwen3_next", "qwen3_next", None, {}),
    ("qwen3_5_text", "qwen3_5_text", None, {}),
    ("qwen3_5_moe_text", "qwen3_5_moe_text", None, {}),
    ("gemma3", "gemma3", None, {}),
    # google/gemma-3-4b-it (published config.json): SigLIP So400m tower at 896 px without its pooling head
    ("gemma3-4b", "gemma3", None, {
        "text_config": {"hidden_size": 2560, "intermediate_size": 10240, "num_hidden_layers": 34,
                        "num_attention_heads": 8, "num_key_value_heads": 4, "head_dim": 256, "sliding_window": 1024,
                        "rope_parameters": {"full_attention": {"rope_type": "linear", "factor": 8.0,
                                                               "rope_theta": 1000000.0},
                                            "sliding_attention": {"rope_type": "default", "rope_theta": 10000.0}}},
        "vision_config": {"hidden_size": 1152, "image_size": 896, "intermediate_size": 4304,
                          "num_attention_heads": 16, "num_hidden_layers": 27, "patch_size": 14,
                          "vision_use_head": False}}),
    ("gemma3n", "gemma3n", None, {}),
    ("gemma3n_text", "gemma3n_text", None, {}),
    ("granite", "granite", None, {}),
    ("granitemoe", "granitemoe", None, {}),
    ("granitemoeshared", "granitemoeshared", None, {}),
    ("granitemoehybrid", "granitemoehybrid", None, {}),
    # Granite 4.0-H layouts: attention on every sixth layer with RoPE, and a dense variant (no routed experts, the
    # shared MLP only)
    ("granitemoehybrid-hybrid", "granitemoehybrid", None, {
        "layer_types": ["mamba" if (i + 1) % 6 else "attention" for i in range(32)], "position_embedding_type": "rope",
        "num_key_value_heads": 8}),
    ("granitemoehybrid-dense", "granitemoehybrid", None, {"num_local_experts": 0, "shared_intermediate_size": 8192,
                                                          "layer_types": ["mamba", "mamba", "attention"] * 10 + ["mamba"] * 2}),
    ("olmo", "olmo", None, {}),
    ("olmo2", "olmo2", None, {}),
    ("olmo3", "olmo3", None, {}),
    ("olmoe", "olmoe", None, {}),
    ("cohere", "cohere", None, {}),
    ("cohere2", "cohere2", None, {}),
    ("glm", "glm", None, {}),
    ("glm4", "glm4", None, {}),
    ("glm4_moe", "glm4_moe", None, {}),
    ("minimax", "minimax", None, {}),
    ("deepseek_v32", "deepseek_v32", None, {}),
    ("deepseek_v4", "deepseek_v4", None, {}),
    # every attention kind (sliding, compressed sparse, heavily compressed) and top-k routed layers after one hash layer
    ("deepseek_v4-mixed", "deepseek_v4", None, {
        "layer_types": (["sliding_attention", "compressed_sparse_attention", "heavily_compressed_attention"] * 15)[:43],
        "mlp_layer_types": ["hash_moe"] + ["moe"] * 42}),
    # transformers' own defaults leave head_dim (hunyuan, ministral, nemotron), the key/value heads (nemotron) or the
    # attention config (dbrx) unusable; these set what the published configs set
    ("hunyuan_v1_dense", "hunyuan_v1_dense", None, {"head_dim": 128}),
    ("hunyuan_v1_moe", "hunyuan_v1_moe", None, {"head_dim": 128}),
    ("ernie4_5", "ernie4_5", None, {}),
    ("ernie4_5_moe", "ernie4_5_moe", None, {}),
    ("exaone4", "exaone4", None, {}),
    ("smollm3", "smollm3", None, {}),
    ("stablelm", "stablelm", None, {}),
    ("starcoder2", "starcoder2", None, {}),
    ("mamba2", "mamba2", None, {}),
    ("jamba", "jamba", None, {}),
    ("falcon_h1", "falcon_h1", None, {}),
    ("falcon_h1-rmsnorm", "falcon_h1", None, {"mamba_rms_norm": True, "mamba_d_ssm": None, "mamba_n_heads": 64,
                                              "projectors_bias": True, "attention_bias": True}),
    ("falcon_mamba", "falcon_mamba", None, {}),
    ("zamba", "zamba", None, {}),
    ("zamba2", "zamba2", None, {}),
    # Zyphra/Zamba2-7B's options: two shared blocks, attention adapters, RoPE in the shared blocks
    ("zamba2-shared-blocks", "zamba2", None, {"num_mem_blocks": 2, "use_shared_attention_adapter": True,
                                              "use_mem_rope": True}),
    ("nemotron", "nemotron", None, {"head_dim": 128, "num_key_value_heads": 8}),
    ("dbrx", "dbrx", None, {"attn_config": {"kv_n_heads": 8, "clip_qkv": 8, "rope_theta": 500000.0}}),
    ("phimoe", "phimoe", None, {}),
    ("mpt", "mpt", None, {}),
    ("codegen", "codegen", None, {}),
    ("gpt_bigcode", "gpt_bigcode", None, {}),
    ("gpt_bigcode-mha", "gpt_bigcode", None, {"multi_query": False}),
    ("gpt_neo", "gpt_neo", None, {}),
    ("xglm", "xglm", None, {}),
    ("rwkv", "rwkv", None, {}),
    ("recurrent_gemma", "recurrent_gemma", None, {}),
    ("helium", "helium", None, {}),
    ("seed_oss", "seed_oss", None, {}),
    ("apertus", "apertus", None, {}),
    ("arcee", "arcee", None, {}),
    ("ministral", "ministral", None, {"head_dim": 128}),
    ("lfm2", "lfm2", None, {}),
    ("lfm2_moe", "lfm2_moe", None, {}),
    ("bitnet", "bitnet", None, {}),
    ("dots1", "dots1", None, {}),
    ("bamba", "bamba", None, {}),
    ("nemotron_h", "nemotron_h", None, {}),
    ("diffllama", "diffllama", None, {}),
    ("persimmon", "persimmon", None, {}),
    ("biogpt", "biogpt", None, {}),
    ("ctrl", "ctrl", None, {}),
    ("openai-gpt", "openai-gpt", None, {}),
    # --- encoders ---
    ("modernbert", "modernbert", None, {}),
    ("deberta-v2", "deberta-v2", None, {}),
    ("deberta", "deberta", None, {}),
    ("electra", "electra", None, {}),
    ("electra-discriminator", "electra", "ElectraForPreTraining", {}),
    ("electra-model", "electra", "ElectraModel", {}),
    ("deberta-v2-seqcls", "deberta-v2", "DebertaV2ForSequenceClassification", {}),
    ("deberta-v2-model", "deberta-v2", "DebertaV2Model", {}),
    ("modernbert-model", "modernbert", "ModernBertModel", {}),
    ("modernbert-seqcls", "modernbert", "ModernBertForSequenceClassification", {}),
    ("modernbert-mlm-untied", "modernbert", "ModernBertForMaskedLM", {"tie_word_embeddings": False}),
    # microsoft/deberta-v3-base (published config.json): relative attention over 256 buckets, shared keys, no absolute
    # positions; deberta-v2-xlarge adds the convolution layer; the unshared variant has per-layer position projections
    ("deberta-v3-base", "deberta-v2", None, {
        "hidden_size": 768, "num_hidden_layers": 12, "num_attention_heads": 12, "intermediate_size": 3072,
        "relative_attention": True, "max_relative_positions": -1, "position_buckets": 256,
        "pos_att_type": ["p2c", "c2p"], "position_biased_input": False, "norm_rel_ebd": "layer_norm",
        "share_att_key": True}),
    ("deberta-v2-xlarge", "deberta-v2", None, {
        "relative_attention": True, "position_buckets": 256, "pos_att_type": "p2c|c2p", "position_biased_input": False,
        "norm_rel_ebd": "layer_norm", "share_att_key": True, "conv_kernel_size": 3, "conv_act": "gelu"}),
    ("deberta-v2-unshared", "deberta-v2", None, {"relative_attention": True, "pos_att_type": ["p2c", "c2p"],
                                                 "type_vocab_size": 2, "embedding_size": 768}),
    ("electra-mlm-untied", "electra", "ElectraForMaskedLM", {"tie_word_embeddings": False}),
    # google/electra-large-discriminator (published config.json): embedding_size equals hidden_size
    ("electra-large-discriminator", "electra", "ElectraForPreTraining", {
        "embedding_size": 1024, "hidden_size": 1024, "num_hidden_layers": 24, "num_attention_heads": 16,
        "intermediate_size": 4096}),
    ("xlm-roberta", "xlm-roberta", None, {}),
    ("xlm-roberta-xl", "xlm-roberta-xl", None, {}),
    ("camembert", "camembert", None, {}),
    ("mpnet", "mpnet", None, {}),
    ("mpnet-model", "mpnet", "MPNetModel", {}),
    ("mpnet-mlm-untied", "mpnet", "MPNetForMaskedLM", {"tie_word_embeddings": False}),
    ("mpnet-seqcls", "mpnet", "MPNetForSequenceClassification", {"num_labels": 3}),
    ("ernie", "ernie", None, {}),
    ("nomic_bert", "nomic_bert", None, {}),
    # --- seq2seq ---
    ("mt5", "mt5", None, {}),
    ("umt5", "umt5", None, {}),
    ("pegasus", "pegasus", None, {}),
    ("marian", "marian", None, {}),
    ("m2m_100", "m2m_100", None, {}),
    ("mbart", "mbart", None, {}),
    ("mbart-causal-lm", "mbart", "MBartForCausalLM", {}),
    ("mbart-untied", "mbart", None, {"tie_word_embeddings": False}),
    ("pegasus-causal-lm", "pegasus", "PegasusForCausalLM", {}),
    ("marian-causal-lm", "marian", "MarianForCausalLM", {}),
    ("marian-separate-decoder-vocab", "marian", None, {"share_encoder_decoder_embeddings": False,
                                                      "decoder_vocab_size": 32000}),
    ("m2m_100-model", "m2m_100", "M2M100Model", {}),
    ("xlm-roberta-causal-lm", "xlm-roberta", "XLMRobertaForCausalLM", {"is_decoder": True}),
    ("xlm-roberta-untied", "xlm-roberta", "XLMRobertaForMaskedLM", {"tie_word_embeddings": False}),
    ("nllb-moe", "nllb-moe", None, {}),
    ("nllb-moe-dense-decoder", "nllb-moe", None, {"decoder_sparse_step": 0, "router_bias": True,
                                                   "encoder_sparse_step": 2}),
    ("blenderbot", "blenderbot", None, {}),
    ("plbart", "plbart", None, {}),
    ("longt5", "longt5", None, {}),
    ("t5gemma", "t5gemma", None, {}),
    # --- vision-language composites ---
    ("llava", "llava", None, {}),
    ("llava_next", "llava_next", None, {}),
    ("qwen2_vl", "qwen2_vl", None, {}),
    ("qwen2_5_vl", "qwen2_5_vl", None, {}),
    # Qwen/Qwen2.5-VL-7B-Instruct (published config.json)
    ("qwen2_5_vl-7b", "qwen2_5_vl", None, {
        "text_config": {"hidden_size": 3584, "intermediate_size": 18944, "num_hidden_layers": 28,
                        "num_attention_heads": 28, "num_key_value_heads": 4, "vocab_size": 152064},
        "vision_config": {"depth": 32, "hidden_size": 1280, "intermediate_size": 3420, "out_hidden_size": 3584,
                          "num_heads": 16, "fullatt_block_indexes": [7, 15, 23, 31], "window_size": 112}}),
    ("qwen2_vl_text", "qwen2_vl_text", None, {}),
    ("qwen2_5_vl_text", "qwen2_5_vl_text", None, {}),
    ("qwen3_vl_text", "qwen3_vl_text", None, {}),
    ("qwen3_vl_moe_text", "qwen3_vl_moe_text", None, {}),
    ("qwen3_vl", "qwen3_vl", None, {}),
    ("qwen3_vl_moe", "qwen3_vl_moe", None, {}),
    # Idefics3-8B-Llama3's text vocabulary (the library default's pad token 128002 lies outside a 32000-row table)
    ("idefics3", "idefics3", None, {"text_config": {"vocab_size": 128259}}),
    ("smolvlm", "smolvlm", None, {}),
    ("paligemma", "paligemma", None, {}),
    ("mllama", "mllama", None, {}),
    ("mistral3", "mistral3", None, {}),
    ("pixtral", "pixtral", None, {}),
    ("internvl", "internvl", None, {}),
    # --- vision and audio encoders ---
    ("siglip", "siglip", None, {}),
    ("siglip2", "siglip2", None, {}),
    ("clip", "clip", None, {}),
    ("clip_vision_model", "clip_vision_model", None, {}),
    ("clip_text_model", "clip_text_model", None, {}),
    ("siglip_vision_model", "siglip_vision_model", None, {}),
    ("siglip_text_model", "siglip_text_model", "SiglipTextModel", {}),
    ("siglip2_vision_model", "siglip2_vision_model", None, {}),
    ("siglip2_text_model", "siglip2_text_model", "Siglip2TextModel", {}),
    ("dinov2", "dinov2", None, {}),
    # facebook/dinov2-base and dinov2-giant (published config.json): 518 px inputs, the giant with a SwiGLU MLP
    ("dinov2-base", "dinov2", None, {"image_size": 518}),
    ("dinov2-giant", "dinov2", None, {"image_size": 518, "hidden_size": 1536, "num_hidden_layers": 40,
                                      "num_attention_heads": 24, "use_swiglu_ffn": True}),
    ("dinov2-classifier", "dinov2", "Dinov2ForImageClassification", {"num_labels": 1000}),
    ("convnext", "convnext", None, {}),
    ("swin", "swin", None, {}),
    ("segformer", "segformer", None, {}),
    ("detr", "detr", None, {}),
    ("sam", "sam", None, {}),
    ("wav2vec2", "wav2vec2", None, {}),
    ("wav2vec2-ctc", "wav2vec2", "Wav2Vec2ForCTC", {"vocab_size": 32}),
    # facebook/wav2vec2-large-960h-lv60-self (published config.json): pre-LayerNorm encoder, LayerNorm feature encoder
    ("wav2vec2-large-lv60-ctc", "wav2vec2", "Wav2Vec2ForCTC", {
        "hidden_size": 1024, "num_hidden_layers": 24, "num_attention_heads": 16, "intermediate_size": 4096,
        "do_stable_layer_norm": True, "feat_extract_norm": "layer", "conv_bias": True}),
    ("wav2vec2-seqcls", "wav2vec2", "Wav2Vec2ForSequenceClassification", {"use_weighted_layer_sum": True,
                                                                          "num_labels": 7}),
    # MMS-style attention adapters and a Wav2Vec2-BERT-style output adapter
    ("wav2vec2-attn-adapter", "wav2vec2", "Wav2Vec2ForCTC", {"do_stable_layer_norm": True, "adapter_attn_dim": 16,
                                                             "feat_extract_norm": "layer"}),
    ("wav2vec2-adapter", "wav2vec2", "Wav2Vec2ForCTC", {"add_adapter": True, "output_hidden_size": 512,
                                                        "mask_time_prob": 0.0}),
    ("hubert-batchnorm", "hubert", None, {"conv_pos_batch_norm": True, "feat_proj_layer_norm": False}),
    ("hubert", "hubert", None, {}),
    ("wavlm", "wavlm", None, {}),
    ("speecht5", "speecht5", None, {}),
    # microsoft/speecht5_tts is SpeechT5ForTextToSpeech (vocab 81); the voice conversion model is speech to speech
    ("speecht5-tts", "speecht5", "SpeechT5ForTextToSpeech", {}),
    ("speecht5-vc", "speecht5", "SpeechT5ForSpeechToSpeech", {}),
    ("seamless_m4t", "seamless_m4t", None, {}),
]

# Extra values for a case's shrunken config, where dropping a per-layer list is not enough: Zamba2's default
# layers_block_type is a fixed 54-entry list whatever the depth, so the small config spells one out
SMALL = {
    "deepseek_v4-mixed": {"layer_types": ["sliding_attention", "compressed_sparse_attention",
                                          "heavily_compressed_attention"], "mlp_layer_types": ["hash_moe", "moe", "moe"]},
    "zamba2-shared-blocks": {"num_hidden_layers": 8,
                             "layers_block_type": ["mamba", "hybrid", "mamba", "hybrid", "mamba", "hybrid", "mamba",
                                                   "mamba"]},
    "granitemoehybrid-hybrid": {"layer_types": ["linear_attention", "full_attention", "linear_attention"]},
    "granitemoehybrid-dense": {"layer_types": ["full_attention", "linear_attention", "linear_attention"]},
    "zamba2": {"num_hidden_layers": 6, "layers_block_type": ["mamba", "hybrid", "mamba", "mamba", "hybrid", "mamba"]},
}

# The natural order ../shared/ground-truth/hf-all-types used: composites of text and images first, encoder-decoders
# as seq2seq, encoders in the masked-LM mapping as masked LM (BertForMaskedLM, not BertLMHeadModel), then causal LM.
AUTO_ORDER = ("AutoModelForImageTextToText", "AutoModelForSeq2SeqLM", "AutoModelForSpeechSeq2Seq",
              "AutoModelForMaskedLM", "AutoModelForCausalLM", "AutoModel")


def shrink(d):
    """Fewer layers in every stack of a config dict (sub-configs included). Lists with one entry per layer keep their
    first entries; the per-layer lists a config class derives from the depth are dropped so it rebuilds them."""
    changed = []

    def walk(node, path):
        if not isinstance(node, dict):
            return
        depth = None
        for k in list(node):
            v = node[k]
            if isinstance(v, dict):
                walk(v, path + k + ".")
            elif k in LAYER_KEYS and isinstance(v, int) and not isinstance(v, bool) and v > 3:
                depth = depth or v
                node[k] = 3
                changed.append(f"{path}{k}: {v} -> 3")
        if depth is None:
            return
        for k in list(node):
            v = node[k]
            if k in PER_LAYER_KEYS and isinstance(v, (list, str)) and v:
                del node[k]
                changed.append(f"{path}{k}: dropped")
            elif isinstance(v, list) and len(v) == depth:
                node[k] = v[:3]
                changed.append(f"{path}{k}: first 3 of {depth}")

    walk(d, "")
    return changed


def by_class(model):
    seen = set()
    out = {}
    for module in model.modules():
        for p in module._parameters.values():
            if p is None or id(p) in seen:
                continue
            seen.add(id(p))
            name = type(module).__name__
            out[name] = out.get(name, 0) + p.numel()
    return out


def buffers(model):
    persistent = 0
    every = 0
    for mod_name, module in model.named_modules():
        for name, b in module._buffers.items():
            if b is None:
                continue
            every += b.numel()
            if name not in module._non_persistent_buffers_set:
                persistent += b.numel()
    return persistent, every


def by_module2(model):
    out = {}
    seen = set()
    for name, p in model.named_parameters():
        if id(p) in seen:
            continue
        seen.add(id(p))
        key = ".".join(name.split(".")[:2])
        out[key] = out.get(key, 0) + p.numel()
    return out


def build(config, cls_name):
    if cls_name is not None:
        cls = getattr(transformers, cls_name)
        with torch.device("meta"):
            return cls._from_config(config), cls_name, None
    errors = []
    for auto in AUTO_ORDER:
        auto_cls = getattr(transformers, auto)
        try:
            with torch.device("meta"):
                m = auto_cls.from_config(config)
            return m, type(m).__name__, auto
        except (ValueError, KeyError) as e:
            errors.append(f"{auto}: {str(e)[:120]}")
    raise ValueError("; ".join(errors))


def describe(config, cls_name):
    model, built, auto = build(config, cls_name)
    persistent, every = buffers(model)
    full = config.to_dict()
    diff = config.to_diff_dict()
    for d in (full, diff):
        d["architectures"] = [built]
        d["model_type"] = config.model_type
        d.pop("transformers_version", None)
    return {
        "model_class": built,
        "auto_class": auto,
        "params": sum(p.numel() for p in model.parameters()),
        "params_tied_twice": sum(p.numel() for _, p in model.named_parameters(remove_duplicate=False)),
        "buffers": persistent,
        "buffers_all": every,
        "by_class": by_class(model),
        "by_module2": by_module2(model),
        "config_full": full,
        "config_diff": diff,
    }


def run_case(case_id, model_type, cls_name, overrides):
    default = AutoConfig.for_model(model_type, **overrides)
    entry = {"model_type": model_type, "overrides": overrides}
    entry.update(describe(default, cls_name))
    d = default.to_dict()
    changed = shrink(d)
    for k, v in SMALL.get(case_id, {}).items():
        d[k] = v
        changed.append(f"{k}: set to {v}")
    if changed:
        try:
            try:
                small_config = type(default).from_dict(d)
            except (TypeError, ValueError) as e:
                # some config classes refuse their own to_dict() inside sub-configs (DBRX's attn_config carries the
                # PreTrainedConfig keys back): rebuild from the overrides with the shrunken top-level depth instead
                top = {k: v for k, v in d.items() if k in LAYER_KEYS or k in SMALL.get(case_id, {})}
                if not top:
                    raise e
                small_config = AutoConfig.for_model(model_type, **{**overrides, **top})
                changed.append(f"rebuilt from overrides ({type(e).__name__})")
            small = describe(small_config, cls_name)
            small["changed"] = changed
            entry["small"] = small
        except Exception as e:  # the config class refuses this depth: the default still stands
            entry["small_error"] = f"{type(e).__name__}: {str(e)[:300]}"
    return entry


def main(out_path):
    only = set(sys.argv[2:])
    results = {}
    if only and os.path.exists(out_path):
        with open(out_path) as f:
            results = json.load(f)["cases"]
    unknown = only - {c[0] for c in CASES}
    if unknown:
        raise SystemExit(f"unknown case ids: {sorted(unknown)}")
    for case_id, model_type, cls_name, overrides in CASES:
        if only and case_id not in only:
            continue
        start = time.time()
        try:
            results[case_id] = run_case(case_id, model_type, cls_name, overrides)
        except Exception as e:  # a type this version lacks is recorded, not fatal
            results[case_id] = {"model_type": model_type, "error": f"{type(e).__name__}: {str(e)[:300]}"}
            traceback.print_exc(limit=1)
        print(f"{case_id}: {results[case_id].get('params', results[case_id].get('error'))} "
              f"({time.time() - start:.1f} s)", file=sys.stderr, flush=True)
    # the file lists cases in CASES order whichever were rebuilt
    order = {c[0]: i for i, c in enumerate(CASES)}
    results = dict(sorted(results.items(), key=lambda kv: order.get(kv[0], len(order))))
    meta = {"transformers": transformers.__version__, "torch": torch.__version__,
            "python": platform.python_version(), "device": "meta",
            "generator": "scripts/hf_family_counts.py"}
    try:
        import timm
        meta["timm"] = timm.__version__
    except ImportError:
        pass
    with open(out_path, "w") as f:
        json.dump({"meta": meta, "cases": results}, f, indent=1, sort_keys=False, default=str)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
