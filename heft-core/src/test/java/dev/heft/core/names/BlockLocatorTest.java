package dev.heft.core.names;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The locator answers exactly what a fresh scan of each name answers, in any order of names. */
class BlockLocatorTest {

    private static void agreesOnEach(List<String> names) {
        BlockLocator locator = new BlockLocator();
        BlockLocator firstIndexes = new BlockLocator();
        for (String n : names) {
            assertThat(locator.locate(n)).as(n).isEqualTo(TensorName.locateBlock(n));
            assertThat(firstIndexes.blockOrFirstIndex(n)).as(n).isEqualTo(TensorName.blockOrFirstIndex(n));
        }
    }

    @Test
    void namesThatShareOnlyPartOfTheBlockPrefixAreScannedAgain() {
        agreesOnEach(List.of(
                "model.layers.3.mlp.up_proj.weight",
                "model.layers.3.mlp.down_proj.weight",
                "model.layers.3", // ends right after the number
                "model.layers.30.mlp.up_proj.weight", // 3 then another digit: block 30
                "model.layers.3x.mlp.weight", // not a number segment: no block here
                "model.layers.3/x", // '/' separates as '.' does
                "model.layers.03.mlp.weight", // leading zero: another prefix, the same block number
                "model.layers.3.mlp.up_proj.weight",
                "model.layer.3.mlp.weight",
                "model.embed_tokens.weight",
                "model.layers.3.mlp.up_proj.weight",
                "bert/encoder/layer_0/attention/self/query/kernel:0",
                "bert/encoder/layer_0/output/dense/kernel:0",
                "bert/encoder/layer_01/output/dense/kernel:0",
                "bert/encoder/layer_0x/output/dense/kernel:0",
                "encoder.block.2.layer.0.SelfAttention.q.weight",
                "encoder.block.2.layer.1.DenseReluDense.wi.weight",
                "Transformer.H.5.attn.weight",
                "features.3.weight",
                "layers.99999999999.x.weight",
                "layers.99999999999.y.weight",
                "",
                "h",
                "h.1"));
    }

    @Test
    void randomNamesInRunsAndShuffledAgree() {
        Random rnd = new Random(12);
        String[] containers = {
            "layers", "layer", "h", "blocks", "block", "blk", "resblocks", "stages", "Layers", "H", "lay", "x"
        };
        String[] leaves = {"weight", "bias", "experts", "mlp", "0", "12", "q_proj", "layer_3", "blk_2", ""};
        for (int round = 0; round < 300; round++) {
            List<String> names = new ArrayList<>();
            int runs = 1 + rnd.nextInt(6);
            for (int r = 0; r < runs; r++) {
                StringBuilder prefix = new StringBuilder(rnd.nextBoolean() ? "model" : "");
                char sep = rnd.nextInt(4) == 0 ? '/' : '.';
                int depth = rnd.nextInt(3);
                for (int d = 0; d < depth; d++) {
                    if (!prefix.isEmpty()) {
                        prefix.append(sep);
                    }
                    prefix.append(containers[rnd.nextInt(containers.length)]);
                    prefix.append(rnd.nextInt(5) == 0 ? '_' : sep);
                    prefix.append(rnd.nextInt(3) == 0 ? "0" : "").append(rnd.nextInt(40));
                }
                int members = 1 + rnd.nextInt(5);
                for (int m = 0; m < members; m++) {
                    StringBuilder n = new StringBuilder(prefix);
                    int tail = rnd.nextInt(4);
                    for (int t = 0; t < tail; t++) {
                        String leaf = leaves[rnd.nextInt(leaves.length)];
                        if (rnd.nextInt(6) == 0) {
                            n.append(leaf); // glued on: changes the number segment itself
                        } else {
                            n.append(sep).append(leaf);
                        }
                    }
                    names.add(n.toString());
                }
            }
            agreesOnEach(names);
            java.util.Collections.shuffle(names, rnd);
            agreesOnEach(names);
        }
    }
}
