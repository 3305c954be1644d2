package dev.heft.core.memory;

import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.arch.hf.TransformerShape.AttentionLayer;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.tensor.DType;
import java.util.ArrayList;
import java.util.List;

/**
 * Exact KV-cache (and SSM-state) bytes for a decoder at a given batch and context. It grows linearly with context;
 * the weights do not change with it at all.
 *
 * <ul>
 *   <li>MHA/GQA/MQA: per token per layer {@code kv_heads x (head_dim_k + head_dim_v)} values.</li>
 *   <li>MLA (DeepSeek-V2/V3): per token per layer one latent of {@code kv_lora_rank + qk_rope_head_dim} values, as
 *       vLLM and transformers 5 cache it (not the expanded per-head K and V).</li>
 *   <li>Sliding-window layers hold at most {@code window} tokens. transformers' sliding cache keeps
 *       {@code window - 1}; heft prints the window (llama.cpp and vLLM's convention), an upper bound by one token.</li>
 *   <li>Mamba: per layer {@code d_inner x d_conv} conv state plus {@code d_inner x d_state} SSM state, constant in
 *       context.</li>
 *   <li>Encoder-decoder: decoder self-attention at the generated length plus cross-attention K/V over the encoder
 *       length in every decoder layer.</li>
 *   <li>Quantized caches: fp8 is one byte a value; q8_0 and q4_0 store blocks of 32 values with an fp16 scale
 *       (34 and 18 bytes), applied per row of {@code kv_heads x head_dim} as llama.cpp does.</li>
 * </ul>
 */
public final class KvCache {
    private KvCache() {}

    /** @param perLayer one line per distinct layer kind, for the report */
    public record Size(long bytes, long fullLayerBytesPerToken, List<String> perLayer) {
        public Size {
            perLayer = List.copyOf(perLayer);
        }
    }

    public static Size of(TransformerShape s, long batch, long context, DType dtype, long encoderContext) {
        if (batch < 1 || context < 0 || encoderContext < 0) {
            throw new InvalidInputException("batch must be >= 1 and context >= 0");
        }
        long total = 0;
        long fullPerToken = 0;
        List<String> lines = new ArrayList<>();
        int full = 0;
        int sliding = 0;
        long window = 0;
        int ssm = 0;
        long rowK;
        long rowV;
        if (s.mla().isPresent()) {
            rowK = s.mla().get().kvLoraRank() + s.mla().get().qkRopeHeadDim();
            rowV = 0;
        } else {
            rowK = Math.multiplyExact(s.kvHeads(), s.headDimK());
            rowV = Math.multiplyExact(s.kvHeads(), s.headDimV());
        }
        long perTokenLayer = Math.addExact(rowBytes(dtype, rowK), rowBytes(dtype, rowV));
        for (AttentionLayer layer : s.attention()) {
            switch (layer.kind()) {
                case FULL -> {
                    total = Math.addExact(total, Math.multiplyExact(Math.multiplyExact(perTokenLayer, context), batch));
                    fullPerToken = Math.addExact(fullPerToken, perTokenLayer);
                    full++;
                }
                case SLIDING -> {
                    long held = Math.min(context, layer.window());
                    total = Math.addExact(total, Math.multiplyExact(Math.multiplyExact(perTokenLayer, held), batch));
                    sliding++;
                    window = layer.window();
                }
                case NONE -> {
                    if (s.ssm().isPresent()) {
                        var m = s.ssm().get();
                        long state = Math.addExact(
                                Math.multiplyExact(m.innerSize(), m.convKernel()),
                                Math.multiplyExact(m.innerSize(), m.stateSize()));
                        total = Math.addExact(total, Math.multiplyExact(rowBytes(dtype, state), batch));
                        ssm++;
                    }
                }
            }
        }
        String what = s.mla().isPresent()
                ? "(kv_lora_rank + qk_rope_head_dim) = " + rowK + " values"
                : s.kvHeads() + " KV heads x (" + s.headDimK() + " + " + s.headDimV() + ") values";
        if (full > 0) {
            lines.add(full + " full-attention layers x " + batch + " x " + context + " tokens x " + what + " x "
                    + dtype.displayName());
        }
        if (sliding > 0) {
            lines.add(sliding + " sliding-window layers x " + batch + " x min(" + context + ", window " + window
                    + ") tokens x " + what + " x " + dtype.displayName());
        }
        if (ssm > 0) {
            var m = s.ssm().get();
            lines.add(ssm + " Mamba layers x " + batch + " x d_inner " + m.innerSize() + " x (d_conv " + m.convKernel()
                    + " + d_state " + m.stateSize() + ") x " + dtype.displayName() + " (constant in context)");
        }
        if (s.encoderDecoder().isPresent() && s.encoderDecoder().get().crossAttention()) {
            long decoderLayers = s.encoderDecoder().get().decoderLayers();
            long cross = Math.multiplyExact(
                    Math.multiplyExact(Math.multiplyExact(perTokenLayer, encoderContext), batch), decoderLayers);
            total = Math.addExact(total, cross);
            lines.add(decoderLayers + " cross-attention layers x " + batch + " x " + encoderContext
                    + " encoder tokens x " + what + " x " + dtype.displayName());
        }
        return new Size(total, fullPerToken, lines);
    }

    private static long rowBytes(DType dtype, long values) {
        if (values == 0) {
            return 0;
        }
        if (!dtype.fitsBlocks(values)) {
            throw new InvalidInputException("a KV row of " + values + " values is not a whole number of "
                    + dtype.displayName() + " blocks of " + dtype.blockElements());
        }
        return dtype.bytesFor(values);
    }

    /** Parses {@code --kv-dtype}: bf16, fp16, fp32, fp8 (e4m3), q8_0, q4_0. */
    public static DType parseDtype(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "bf16" -> DType.BF16;
            case "fp16", "f16", "float16" -> DType.F16;
            case "fp32", "f32", "float32" -> DType.F32;
            case "fp8", "fp8_e4m3", "f8_e4m3", "e4m3" -> DType.F8_E4M3;
            case "fp8_e5m2", "e5m2" -> DType.F8_E5M2;
            case "q8_0" -> DType.Q8_0;
            case "q4_0" -> DType.Q4_0;
            default ->
                throw new InvalidInputException(
                        "unknown KV-cache dtype '" + s + "' (known: bf16, fp16, fp32, fp8, fp8_e5m2, q8_0, q4_0)");
        };
    }
}
