package dev.heft.core.arch.hf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.arch.hf.TransformerShape.AttentionKind;
import dev.heft.core.arch.hf.TransformerShape.AttentionLayer;
import dev.heft.core.json.JsonValue;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The per-layer facts of the shape follow each config class's __post_init__ (layer_types, sparse steps); the
 * expectations are the rules as transformers states them, applied by hand.
 */
class TransformerShapeTest {

    @Test
    void gemma2AlternatesSlidingFromTheFirstLayer() {
        // Gemma2Config: "sliding_attention" if bool((i + 1) % 2) else "full_attention"
        List<AttentionLayer> a = Configs.of("gemma2")
                .put("num_hidden_layers", 6)
                .put("sliding_window", 4096)
                .count()
                .shape()
                .attention();
        assertThat(a)
                .extracting(AttentionLayer::kind)
                .containsExactly(
                        AttentionKind.SLIDING,
                        AttentionKind.FULL,
                        AttentionKind.SLIDING,
                        AttentionKind.FULL,
                        AttentionKind.SLIDING,
                        AttentionKind.FULL);
        assertThat(a.get(0).window()).isEqualTo(4096);
    }

    @Test
    void gemma3HasFiveLocalLayersPerGlobalAndARotaryTablePerLayerType() {
        HfArchitecture arch = Configs.of("gemma3_text")
                .put("num_hidden_layers", 12)
                .put("sliding_window", 512)
                .put("head_dim", 64)
                .count();
        List<AttentionKind> kinds =
                arch.shape().attention().stream().map(AttentionLayer::kind).toList();
        for (int i = 0; i < 12; i++) {
            assertThat(kinds.get(i))
                    .as("layer " + i)
                    .isEqualTo((i + 1) % 6 != 0 ? AttentionKind.SLIDING : AttentionKind.FULL);
        }
        // sliding and full rotary tables, inv_freq + original_inv_freq each (32 entries), plus embed_scale
        assertThat(arch.counts().buffers()).isEqualTo(2 * 2 * 32 + 1);
    }

    @Test
    void slidingLayersAttendToAtMostTheirWindow() {
        TransformerShape s = Configs.of("mistral")
                .put("num_hidden_layers", 2)
                .put("hidden_size", 64)
                .put("num_attention_heads", 4)
                .put("num_key_value_heads", 2)
                .put("sliding_window", 100)
                .count()
                .shape();
        long perKey = 2L * 4 * (16 + 16);
        assertThat(s.flopsPerToken(50).attentionFlops()).isEqualTo(2 * perKey * 50);
        assertThat(s.flopsPerToken(1000).attentionFlops()).isEqualTo(2 * perKey * 100);
    }

    @Test
    void qwenMoeSparseLayersHonourMlpOnlyLayersAndSparseStep() {
        TransformerShape s = Configs.of("qwen3_moe")
                .put("num_hidden_layers", 8)
                .put("decoder_sparse_step", 2)
                .put("mlp_only_layers", new JsonValue.JsonArray(List.of(JsonValue.JsonNumber.of(3))))
                .count()
                .shape();
        // sparse when i not in mlp_only_layers and (i + 1) % step == 0
        List<Integer> expected = IntStream.range(0, 8)
                .filter(i -> i != 3 && (i + 1) % 2 == 0)
                .boxed()
                .toList();
        assertThat(s.moe().orElseThrow().sparseLayers()).isEqualTo(expected);
    }

    @Test
    void deepseekDenseLayersComeFirst() {
        TransformerShape s = Configs.of("deepseek_v3")
                .put("num_hidden_layers", 6)
                .put("first_k_dense_replace", 2)
                .count()
                .shape();
        assertThat(s.moe().orElseThrow().sparseLayers()).containsExactly(2, 3, 4, 5);
        assertThat(s.mla().orElseThrow().kvLoraRank()).isEqualTo(512);
        assertThat(s.headDimK()).isEqualTo(128 + 64);
    }

    @Test
    void mambaHasStateSizesAndNoAttention() {
        TransformerShape s = Configs.of("mamba")
                .put("hidden_size", 768)
                .put("num_hidden_layers", 3)
                .count()
                .shape();
        assertThat(s.ssm().orElseThrow()).isEqualTo(new TransformerShape.Ssm(16, 4, 1536, 48));
        assertThat(s.flopsPerToken(4096).attentionFlops()).isZero();
    }

    @Test
    void seq2seqShapeNamesBothStacks() {
        TransformerShape s = Configs.of("t5")
                .put("num_layers", 4)
                .put("num_decoder_layers", 2)
                .count()
                .shape();
        assertThat(s.encoderDecoder().orElseThrow()).isEqualTo(new TransformerShape.EncoderDecoder(4, 2, true));
    }

    @Test
    void qwen2SlidesOnlyFromMaxWindowLayersWhenEnabled() {
        List<AttentionKind> on = Configs.of("qwen2")
                .put("num_hidden_layers", 4)
                .put("use_sliding_window", true)
                .put("max_window_layers", 2)
                .count()
                .shape()
                .attention()
                .stream()
                .map(AttentionLayer::kind)
                .toList();
        assertThat(on)
                .containsExactly(AttentionKind.FULL, AttentionKind.FULL, AttentionKind.SLIDING, AttentionKind.SLIDING);
        List<AttentionKind> off = Configs.of("qwen2")
                .put("num_hidden_layers", 4)
                .put("max_window_layers", 2)
                .count()
                .shape()
                .attention()
                .stream()
                .map(AttentionLayer::kind)
                .toList();
        assertThat(off).containsOnly(AttentionKind.FULL);
    }
}
