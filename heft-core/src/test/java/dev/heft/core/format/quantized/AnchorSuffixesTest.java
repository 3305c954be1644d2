package dev.heft.core.format.quantized;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnchorSuffixesTest {
    /** The layouts QuantizedLayouts tries, so that a layout added there is checked here too. */
    private static final List<PackedLayout> ALL = QuantizedLayouts.LAYOUTS;

    @Test
    void everyLayoutDeclaresSuffixesThatAreSeen() {
        AnchorSuffixes anchors = new AnchorSuffixes(ALL);
        for (PackedLayout layout : ALL) {
            assertThat(layout.anchorSuffixes())
                    .as(layout.getClass().getSimpleName())
                    .isNotEmpty();
            for (String suffix : layout.anchorSuffixes()) {
                assertThat(anchors.anyEnds("model.layers.0.mlp.down_proj" + suffix))
                        .as(suffix)
                        .isTrue();
            }
        }
    }

    @Test
    void everyLayoutsAnchorNamesAreSeen() {
        AnchorSuffixes anchors = new AnchorSuffixes(ALL);
        for (String name : List.of(
                "model.layers.0.self_attn.q_proj.qweight",
                "model.layers.0.mlp.down_proj.weight.quant_state.bitsandbytes__nf4",
                "model.layers.0.mlp.down_proj.weight.quant_state.bitsandbytes__fp4",
                "o.SCB",
                "m.weight_packed",
                "model.layers.3.mlp.experts.7.down_proj.weight_scale_inv",
                "m.weight_scale",
                "model.layers.0.mlp.gate_proj.scales",
                "m.W_q",
                "m.q_weight",
                "model.layers.0.mlp.experts.gate_up_proj_blocks")) {
            assertThat(anchors.anyEnds(name)).as(name).isTrue();
        }
    }

    @Test
    void plainWeightNamesAreNot() {
        AnchorSuffixes anchors = new AnchorSuffixes(ALL);
        // Several share a last character with an anchor suffix ('t' of .qweight, 's' of .scales and _blocks).
        for (String name : List.of(
                "model.layers.0.mlp.down_proj.weight",
                "model.layers.0.self_attn.q_proj.bias",
                "model.layers.0.mlp.experts.gate_up_proj",
                "lm_head.weight",
                "blk.0.ffn_down_exps.weight",
                "m.q_weight.x",
                "scales",
                "weight_\u00e9",
                "")) {
            assertThat(anchors.anyEnds(name)).as(name).isFalse();
        }
    }

    @Test
    void aLayoutOutsideTheListIsNotGuessed() {
        AnchorSuffixes onlyMlx = new AnchorSuffixes(List.of(new MlxLayout()));
        assertThat(onlyMlx.anyEnds("m.scales")).isTrue();
        assertThat(onlyMlx.anyEnds("m.qweight")).isFalse();
    }
}
