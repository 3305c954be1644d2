package dev.heft.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.arch.hf.TransformerShape.AttentionLayer;
import dev.heft.core.tensor.DType;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** KV-cache sizes against closed forms written here, independently of the implementation, and the H200 measurement. */
class KvCacheTest {

    static TransformerShape decoder(
            int layers,
            long hidden,
            long heads,
            long kvHeads,
            long headDim,
            List<AttentionLayer> attention,
            Optional<TransformerShape.Mla> mla,
            Optional<TransformerShape.Ssm> ssm) {
        return new TransformerShape(
                layers,
                hidden,
                heads,
                kvHeads,
                headDim,
                headDim,
                1000,
                4 * hidden,
                4096,
                attention,
                Optional.empty(),
                mla,
                ssm,
                Optional.empty(),
                0);
    }

    static List<AttentionLayer> full(int n) {
        return Collections.nCopies(n, AttentionLayer.FULL);
    }

    @Test
    void llama32OneBillionMatchesTheMeasuredCacheTensors() {
        // Llama-3.2-1B: 16 layers, 8 KV heads, head_dim 64, bf16. gpu-measurements.json "infer:llama-3.2-1b":
        // kv_cache_bytes 16,777,216 (b1 s512), 67,108,864 (b1 s2048), 134,217,728 (b8 s512), 536,870,912 (b8 s2048).
        TransformerShape s = decoder(16, 2048, 32, 8, 64, full(16), Optional.empty(), Optional.empty());
        assertThat(KvCache.of(s, 1, 512, DType.BF16, 512).bytes()).isEqualTo(16_777_216L);
        assertThat(KvCache.of(s, 1, 2048, DType.BF16, 2048).bytes()).isEqualTo(67_108_864L);
        assertThat(KvCache.of(s, 8, 512, DType.BF16, 512).bytes()).isEqualTo(134_217_728L);
        assertThat(KvCache.of(s, 8, 2048, DType.BF16, 2048).bytes()).isEqualTo(536_870_912L);
    }

    @Property(tries = 200)
    void gqaCacheIsLinearInContextAndBatch(
            @ForAll @IntRange(min = 1, max = 80) int layers,
            @ForAll @IntRange(min = 1, max = 16) int kvHeads,
            @ForAll @IntRange(min = 1, max = 8) int headDim32,
            @ForAll @IntRange(min = 1, max = 64) int batch,
            @ForAll @IntRange(min = 1, max = 200_000) int context) {
        long headDim = headDim32 * 32L;
        TransformerShape s =
                decoder(layers, 4096, kvHeads * 4L, kvHeads, headDim, full(layers), Optional.empty(), Optional.empty());
        long closedForm = 2L * layers * batch * context * kvHeads * headDim * 2; // K and V, bf16
        assertThat(KvCache.of(s, batch, context, DType.BF16, context).bytes()).isEqualTo(closedForm);
        // q8_0: 34 bytes per 32 values; q4_0: 18 bytes per 32 values.
        long values = 2L * layers * batch * context * kvHeads * headDim;
        assertThat(KvCache.of(s, batch, context, DType.Q8_0, context).bytes()).isEqualTo(values / 32 * 34);
        assertThat(KvCache.of(s, batch, context, DType.Q4_0, context).bytes()).isEqualTo(values / 32 * 18);
        assertThat(KvCache.of(s, batch, context, DType.F8_E4M3, context).bytes())
                .isEqualTo(values);
    }

    @Test
    void mlaCachesOneLatentPerTokenPerLayer() {
        // DeepSeek-V3: 61 layers, kv_lora_rank 512, qk_rope_head_dim 64 -> 576 values per token per layer.
        TransformerShape s = decoder(
                61,
                7168,
                128,
                128,
                192,
                full(61),
                Optional.of(new TransformerShape.Mla(512, 1536, 64, 128, 128)),
                Optional.empty());
        assertThat(KvCache.of(s, 1, 1000, DType.BF16, 1000).bytes()).isEqualTo(61L * 1000 * 576 * 2);
    }

    @Test
    void slidingLayersHoldAtMostTheWindow() {
        // Gemma-2 style: alternating sliding (4096) and global layers.
        List<AttentionLayer> layers = List.of(
                AttentionLayer.sliding(4096), AttentionLayer.FULL, AttentionLayer.sliding(4096), AttentionLayer.FULL);
        TransformerShape s = decoder(4, 2304, 8, 4, 256, layers, Optional.empty(), Optional.empty());
        long perTokenLayer = 4L * 256 * 2 * 2;
        assertThat(KvCache.of(s, 1, 8192, DType.BF16, 8192).bytes()).isEqualTo(perTokenLayer * (2 * 4096 + 2 * 8192));
        assertThat(KvCache.of(s, 1, 1000, DType.BF16, 1000).bytes()).isEqualTo(perTokenLayer * 4 * 1000);
    }

    @Test
    void mambaStateIsConstantInContext() {
        // mamba-130m: 24 layers, d_inner 1536, d_conv 4, d_state 16.
        TransformerShape s = decoder(
                24,
                768,
                0,
                0,
                0,
                Collections.nCopies(24, AttentionLayer.NONE),
                Optional.empty(),
                Optional.of(new TransformerShape.Ssm(16, 4, 1536, 48)));
        long expected = 24L * (1536 * 4 + 1536 * 16) * 2;
        assertThat(KvCache.of(s, 1, 10, DType.BF16, 10).bytes()).isEqualTo(expected);
        assertThat(KvCache.of(s, 1, 100_000, DType.BF16, 100_000).bytes()).isEqualTo(expected);
    }

    @Test
    void encoderDecoderAddsCrossAttentionOverTheEncoderLength() {
        // Whisper-tiny: 4 decoder layers, 6 heads of 64, encoder 1500 frames.
        TransformerShape s = new TransformerShape(
                4,
                384,
                6,
                6,
                64,
                64,
                51865,
                1536,
                448,
                full(4),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(new TransformerShape.EncoderDecoder(4, 4, true)),
                0);
        long self = 4L * 1 * 100 * 6 * 128 * 2;
        long cross = 4L * 1 * 1500 * 6 * 128 * 2;
        assertThat(KvCache.of(s, 1, 100, DType.BF16, 1500).bytes()).isEqualTo(self + cross);
    }

    @Test
    void blockQuantizedCacheNeedsWholeBlocks() {
        TransformerShape s = decoder(1, 64, 1, 1, 48, full(1), Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> KvCache.of(s, 1, 10, DType.Q4_0, 10)).hasMessageContaining("blocks of 32");
    }
}
