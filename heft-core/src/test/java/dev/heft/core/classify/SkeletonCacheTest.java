package dev.heft.core.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The classifier's cache must never change an answer: cached and uncached classifications agree on every name. */
class SkeletonCacheTest {

    private static final List<String> NAMES = List.of(
            "model.layers.7.mlp.up_proj.weight",
            "model.layers.8.mlp.up_proj.weight",
            "model.layers.3.mlp.experts.45.down_proj.weight",
            "fc1.weight",
            "fc2.weight",
            "layer1.0.bn1.weight",
            "layer1.0.bn2.weight",
            "features.0.weight",
            "features.1.weight",
            "transformer.h.0.attn.c_attn.bias",
            "transformer.h.0.attn.bias",
            "blk.3.ffn_down_exps.weight",
            "encoder/layer_0/attention/self/query/kernel:0",
            "encoder/layer_1/attention/self/query/kernel:0",
            "layers.1234567890.weight",
            "layers.12.weight",
            "dense_h_to_4h.weight",
            "dense_4h_to_h.weight",
            "model.layers.0.mlp.gate.weight",
            "model.layers.0.mlp.gate_proj.weight",
            "output.weight",
            "0.weight",
            "1.weight",
            "a..b",
            ".",
            "",
            "#.weight");

    @Test
    void hashAndMatchAgreeWithTheSkeletonString() {
        for (String a : NAMES) {
            String key = TensorClassifier.skeleton(a);
            assertThat(SkeletonCache.matches(key, a)).as(a).isTrue();
            assertThat(SkeletonCache.hash(key, 2)).as(a).isEqualTo(SkeletonCache.hash(a, 2));
            for (String b : NAMES) {
                assertThat(SkeletonCache.matches(key, b))
                        .as(a + " vs " + b)
                        .isEqualTo(key.equals(TensorClassifier.skeleton(b)));
            }
        }
        assertThat(TensorClassifier.skeleton("model.layers.7.mlp.experts.45.up_proj.weight"))
                .isEqualTo("model.layers.#.mlp.experts.#.up_proj.weight");
        assertThat(TensorClassifier.skeleton("fc1.weight")).isEqualTo("fc1.weight"); // digits inside a segment stay
    }

    /** Random names over the characters the skeleton rules turn on (separators, digits, '#'), pair by pair. */
    @Test
    void hashAndMatchAgreeWithTheSkeletonStringOnRandomNames() {
        Random rnd = new Random(12);
        String alphabet = "./0192a#";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(16);
            for (int j = 0; j < len; j++) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            names.add(sb.toString());
        }
        names.add("a.1234567890.b"); // ten digits: not an index
        names.add("a.123456789.b"); // nine: an index
        for (String a : names) {
            String key = TensorClassifier.skeleton(a);
            assertThat(SkeletonCache.hash(key, 3)).as(a).isEqualTo(SkeletonCache.hash(a, 3));
            for (String b : names) {
                assertThat(SkeletonCache.matches(key, b))
                        .as(a + " vs " + b)
                        .isEqualTo(key.equals(TensorClassifier.skeleton(b)));
            }
        }
    }

    @Test
    void cachedAnswersEqualFreshOnes() {
        Random rnd = new Random(7);
        TensorClassifier shared = new TensorClassifier();
        List<String> names = new ArrayList<>(NAMES);
        for (int i = 0; i < 200; i++) {
            names.add(NAMES.get(rnd.nextInt(NAMES.size())).replace("7", Integer.toString(rnd.nextInt(100))));
        }
        for (String n : names) {
            for (long[] shape : new long[][] {{8}, {8, 8}, {8, 8, 3, 3}, {4, 8, 8}}) {
                assertThat(shared.classify(n, shape)).as(n).isEqualTo(new TensorClassifier().classify(n, shape));
            }
        }
    }
}
