package dev.heft.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.api.request.Runtime;
import dev.heft.core.arch.catalog.LlmCatalog;
import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.DeviceCatalog;
import dev.heft.core.tensor.DType;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * vLLM cannot run here: these check heft against vLLM's formulas written out by hand from its source
 * (vllm/v1/kv_cache_interface.py page sizes, vllm/v1/worker/gpu_worker.py's pool, kv_cache_utils.py's concurrency).
 */
class VllmMemoryTest {
    private final TransformerShape llama8b =
            LlmCatalog.find("llama-3.1-8b").architecture().shape();

    @Test
    void pagesFollowKvCacheInterface() {
        // FullAttentionSpec: block 16 x 8 KV heads x (128 + 128) x 2 B = 65,536 B per page per layer;
        // a 10,000-token sequence needs cdiv(10000, 16) = 625 pages in each of 32 layers.
        long perSeq = VllmMemory.perSequenceKv(llama8b, 10_000, 8192, VllmSettings.defaults(), DType.BF16);
        assertThat(perSeq).isEqualTo(625L * 65_536 * 32);
    }

    @Test
    void slidingLayersNeedWindowPlusBatchedTokensPagesPlusOne() {
        TransformerShape s = new TransformerShape(
                2,
                1024,
                8,
                4,
                64,
                64,
                1000,
                4096,
                131072,
                java.util.List.of(TransformerShape.AttentionLayer.sliding(4096), TransformerShape.AttentionLayer.FULL),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                0);
        long page = 16L * 4 * 128 * 2;
        // SlidingWindowSpec: cdiv(min(4096 - 1 + 2048, 100000), 16) + 1 = 385 pages; full: cdiv(100000, 16) = 6250
        long perSeq = VllmMemory.perSequenceKv(s, 100_000, 2048, VllmSettings.defaults(), DType.BF16);
        assertThat(perSeq).isEqualTo((385L + 6250) * page);
    }

    @Test
    void poolIsUtilisationTimesMemoryMinusProfilePeakAndConcurrencyIsPoolOverSequence() {
        Device h100 = DeviceCatalog.find("h100-sxm");
        long weights = 16_060_522_496L;
        InferenceOptions o = InferenceOptions.defaults(1, 8192).withRuntime(Runtime.VLLM);
        VllmMemory.Capacity c = VllmMemory.capacity(llama8b, weights, o, h100);
        assertThat(c.budget()).isEqualTo((long) (h100.memoryBytes() * 0.9));
        assertThat(c.kvPool()).isLessThan(c.budget() - weights).isGreaterThan(c.budget() - weights - (4L << 30));
        long perSeq = 512L * 65_536 * 32; // 8192 tokens = 512 pages per layer
        assertThat(c.perSequence()).isEqualTo(perSeq);
        assertThat(c.maxConcurrency())
                .isCloseTo((double) c.kvPool() / perSeq, org.assertj.core.data.Offset.offset(1e-9));
        RuntimeMemory r = VllmMemory.estimate(llama8b, weights, "bf16", o, Optional.of(h100));
        // vLLM takes its whole budget: weights + profile peak + overhead + the pool
        assertThat((double) r.estimate().peak()).isCloseTo(c.budget(), org.assertj.core.data.Offset.offset(2.0));
        assertThat(r.sources()).anyMatch(x -> x.contains("gpu_worker.py"));
    }

    @Test
    void batchDefaultsFollowArgUtils() {
        VllmSettings v = VllmSettings.defaults();
        assertThat(v.batchedTokens(80L << 30, "h100-sxm")).isEqualTo(8192);
        assertThat(v.batchedTokens(80L << 30, "a100-80gb")).isEqualTo(2048);
        assertThat(v.batchedTokens(24L << 30, "rtx-4090")).isEqualTo(2048);
        assertThat(v.sequences(141L << 30, "h200")).isEqualTo(1024);
    }
}
