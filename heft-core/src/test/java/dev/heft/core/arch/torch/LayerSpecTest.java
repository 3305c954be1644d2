package dev.heft.core.arch.torch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerSpecTest {

    private static CustomNetwork json(String s) {
        return LayerSpec.parse(s, LayerSpec.Format.JSON);
    }

    @Test
    void sharedModulesCountOnceButRunEachTime() {
        CustomNetwork net = json("""
                {"input": [2, 16],
                 "modules": {"shared": {"type": "Linear", "in_features": 16, "out_features": 16}},
                 "layers": [{"use": "shared"}, {"type": "ReLU"}, {"use": "shared", "repeat": 2}]}""");
        assertThat(net.counts().parameters()).isEqualTo(16 * 16 + 16);
        assertThat(net.counts().byClass()).isEqualTo(Map.of("Linear", 272L));
        assertThat(net.tensors()).extracting(NamedTensor::name).containsExactly("0.weight", "0.bias");
        assertThat(net.flops().flops()).isEqualTo(3L * 2 * 2 * 16 * 16);
    }

    @Test
    void repeatMakesIndependentCopiesNamedLikeSequential() {
        CustomNetwork net = json("""
                {"layers": [
                  {"type": "Sequential", "repeat": 3, "layers": [
                     {"type": "Linear", "in_features": 8, "out_features": 8, "bias": false},
                     {"type": "GELU"}]},
                  {"type": "Linear", "in_features": 8, "out_features": 2}]}""");
        assertThat(net.counts().parameters()).isEqualTo(3 * 64 + 18);
        assertThat(net.tensors())
                .extracting(NamedTensor::name)
                .containsExactly("0.0.weight", "1.0.weight", "2.0.weight", "3.weight", "3.bias");
    }

    @Test
    void convNetworkShapesAndFlopsFollowTheSpecInput() {
        CustomNetwork net = json("""
                {"input": [1, 3, 224, 224],
                 "layers": [
                  {"type": "Conv2d", "in_channels": 3, "out_channels": 64, "kernel_size": 7, "stride": 2,
                   "padding": 3, "bias": false},
                  {"type": "BatchNorm2d", "num_features": 64},
                  {"type": "ReLU", "inplace": true},
                  {"type": "MaxPool2d", "kernel_size": 3, "stride": 2, "padding": 1},
                  {"type": "AdaptiveAvgPool2d", "output_size": 1},
                  {"type": "Flatten"},
                  {"type": "Linear", "in_features": 64, "out_features": 10}]}""");
        FlopReport r = net.flops();
        assertThat(r.output()).isEqualTo(Shape.of(1, 10));
        // resnet's stem conv: 112*112 outputs, 64 x 3 x 7 x 7 weights; then the 64->10 head
        assertThat(r.flops()).isEqualTo(2L * 112 * 112 * 64 * 3 * 49 + 2L * 64 * 10);
        assertThat(r.byOp())
                .isEqualTo(Map.of(
                        FlopCounter.Op.CONVOLUTION, 2L * 112 * 112 * 64 * 3 * 49, FlopCounter.Op.MM, 2L * 64 * 10));
        assertThat(net.counts().buffers()).isEqualTo(129);
        assertThat(net.counts().byClass()).containsEntry("BatchNorm2d", 128L).containsEntry("Conv2d", 9408L);
    }

    @Test
    void yamlGivesTheSameNetworkAsJson(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("net.yaml");
        Files.writeString(yaml, """
                input: [4, 10, 32]
                layers:
                  - type: LSTM
                    input_size: 32
                    hidden_size: 64
                    num_layers: 2
                    bidirectional: true
                  - type: Linear
                    in_features: 128
                    out_features: 5
                """);
        CustomNetwork fromYaml = LayerSpec.parse(yaml);
        CustomNetwork fromJson = json("""
                {"input": [4, 10, 32], "layers": [
                  {"type": "LSTM", "input_size": 32, "hidden_size": 64, "num_layers": 2, "bidirectional": true},
                  {"type": "Linear", "in_features": 128, "out_features": 5}]}""");
        assertThat(fromYaml.counts()).isEqualTo(fromJson.counts());
        assertThat(fromYaml.tensors()).isEqualTo(fromJson.tensors());
        assertThat(fromYaml.flops()).isEqualTo(fromJson.flops());
    }

    @Test
    void multiheadAttentionFastPathIsNotCountedLikeFlopCounterMode() {
        String mha = "{\"type\": \"MultiheadAttention\", \"embed_dim\": 64, \"num_heads\": 4, \"batch_first\": %s}";
        FlopReport fast = json("{\"layers\": [" + mha.formatted("true") + "]}").flops(Shape.of(2, 10, 64));
        assertThat(fast.flops()).isZero();
        assertThat(fast.notes()).anyMatch(n -> n.contains("fast path"));
        FlopReport slow = json("{\"layers\": [" + mha.formatted("false") + "]}").flops(Shape.of(10, 2, 64));
        long rows = 10 * 2;
        // in_proj [20,64]x[64,192]; q@k^T and attn@v over 2*4 heads of 10x16 by 16x10; out_proj
        assertThat(slow.flops()).isEqualTo(2 * rows * 64 * 192 + 2 * (2L * 2 * 4 * 10 * 10 * 16) + 2 * rows * 64 * 64);
    }

    @Test
    void unknownTypeNamesLayerAndKnownTypes() {
        assertThatThrownBy(() -> json("{\"layers\": [{\"type\": \"ReLU\"}, {\"type\": \"Conv4d\"}]}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("layers[1]")
                .hasMessageContaining("Conv4d")
                .hasMessageContaining("Conv3d");
    }

    @Test
    void unknownKeyNamesLayerKeyAndAcceptedKeys() {
        assertThatThrownBy(() -> json("""
                {"layers": [{"type": "Sequential", "layers": [
                  {"type": "Conv2d", "in_channels": 3, "out_channels": 8, "kernal_size": 3}]}]}"""))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("layers[0].layers[0] (Conv2d)")
                .hasMessageContaining("'kernal_size'")
                .hasMessageContaining("kernel_size")
                .hasMessageContaining("padding_mode");
    }

    @Test
    void badValuesAreNamed() {
        record Case(String layer, String message) {}
        List<Case> cases = List.of(
                new Case("{\"type\": \"Linear\", \"in_features\": 4}", "missing required key 'out_features'"),
                new Case("{\"type\": \"Linear\", \"in_features\": \"4\", \"out_features\": 2}", "'in_features'"),
                new Case("{\"type\": \"Linear\", \"in_features\": 0, \"out_features\": 2}", "from 1 to"),
                new Case("{\"type\": \"Linear\", \"in_features\": 4.5, \"out_features\": 2}", "must be an integer"),
                new Case(
                        "{\"type\": \"Linear\", \"in_features\": 4, \"out_features\": 2, \"bias\": 1}",
                        "true or false"),
                new Case(
                        "{\"type\": \"Conv2d\", \"in_channels\": 6, \"out_channels\": 4, \"kernel_size\": 3,"
                                + " \"groups\": 4}",
                        "divisible by groups"),
                new Case(
                        "{\"type\": \"Conv2d\", \"in_channels\": 6, \"out_channels\": 4, \"kernel_size\": [3, 3, 3]}",
                        "needs 2 values"),
                new Case(
                        "{\"type\": \"Conv2d\", \"in_channels\": 6, \"out_channels\": 4, \"kernel_size\": 3,"
                                + " \"padding\": \"same\", \"stride\": 2}",
                        "strided"),
                new Case(
                        "{\"type\": \"GroupNorm\", \"num_groups\": 3, \"num_channels\": 8}", "divisible by num_groups"),
                new Case("{\"type\": \"MultiheadAttention\", \"embed_dim\": 10, \"num_heads\": 3}", "divisible"),
                new Case("{\"type\": \"LSTM\", \"input_size\": 4, \"hidden_size\": 8, \"proj_size\": 8}", "proj_size"),
                new Case(
                        "{\"type\": \"EmbeddingBag\", \"num_embeddings\": 4, \"embedding_dim\": 8, \"mode\": \"avg\"}",
                        "'mode'"),
                new Case("{\"type\": \"Linear\", \"in_features\": 4, \"out_features\": 2, \"repeat\": 0}", "repeat"),
                new Case("{\"use\": \"missing\"}", "no module named 'missing'"),
                new Case("{\"type\": \"Linear\", \"in_features\": 1099511627777, \"out_features\": 2}", "from 1 to"),
                new Case("[1]", "expected a layer object"));
        for (Case c : cases) {
            assertThatThrownBy(() -> json("{\"layers\": [" + c.layer() + "]}"))
                    .as(c.layer())
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining(c.message());
        }
    }

    @Test
    void structuralErrors() {
        assertThatThrownBy(() -> json("{\"layer\": []}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown top-level key 'layer'");
        assertThatThrownBy(() -> json("[]"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("expected an object");
        assertThatThrownBy(() -> json("{\"layers\": ["))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> json("""
                {"modules": {"a": {"type": "Sequential", "layers": [{"use": "a"}]}}, "layers": [{"use": "a"}]}"""))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("uses itself");
        assertThatThrownBy(() -> json("""
                {"layers": [{"type": "Sequential", "repeat": 100000, "layers": [
                   {"type": "Sequential", "repeat": 100000, "layers": [{"type": "ReLU"}]}]}]}"""))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("more than");
        assertThatThrownBy(() -> json("{\"layers\": [{\"type\": \"Linear\", \"in_features\": 4, \"out_features\": 2}]}")
                        .flops())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no \"input\"");
    }

    @Test
    void shapeMismatchAndOverflowAreInputErrors() {
        CustomNetwork net = json("{\"layers\": [{\"type\": \"Linear\", \"in_features\": 4, \"out_features\": 2}]}");
        assertThatThrownBy(() -> net.flops(Shape.of(3, 5)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Linear")
                .hasMessageContaining("last dimension 4");
        CustomNetwork big = json("""
                {"layers": [{"type": "Linear", "in_features": 1099511627776, "out_features": 1099511627776}]}""");
        assertThatThrownBy(big::counts)
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("overflows");
        CustomNetwork dilated = json("""
                {"layers": [{"type": "Conv1d", "in_channels": 1, "out_channels": 1, "kernel_size": 1099511627776,
                             "dilation": 1099511627776}]}""");
        assertThatThrownBy(() -> dilated.flops(Shape.of(1, 1, 8)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("overflow");
    }

    @Test
    void yamlAliasBombIsRefused() {
        StringBuilder y = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 0; i < 60; i++) {
            y.append("b").append(i).append(": &b").append(i).append(" [*a, *a]\n");
        }
        y.append("layers: []\n");
        assertThatThrownBy(() -> LayerSpec.parse(y.toString(), LayerSpec.Format.YAML))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void inputShapesParseFromTheCommandLineForm() {
        assertThat(Shape.parse("1,3,224,224")).isEqualTo(Shape.of(1, 3, 224, 224));
        assertThat(Shape.parse(" 8, 3, 299, 299 ")).isEqualTo(Shape.of(8, 3, 299, 299));
        assertThatThrownBy(() -> Shape.parse("1,3,a,4"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'a'");
        assertThatThrownBy(() -> Shape.parse("1,0,4"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> Shape.parse("")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void transformerLayersCountLikeAnEvalCpuForward() {
        String enc = "{\"type\": \"TransformerEncoderLayer\", \"d_model\": 64, \"nhead\": 4, \"dim_feedforward\": 128,"
                + " \"batch_first\": %s}";
        FlopReport fused = json("{\"layers\": [" + enc.formatted("true") + "]}").flops(Shape.of(2, 10, 64));
        assertThat(fused.flops()).isZero();
        assertThat(fused.notes()).anyMatch(n -> n.contains("_transformer_encoder_layer_fwd"));

        FlopReport slow = json("{\"layers\": [" + enc.formatted("false") + "]}").flops(Shape.of(10, 2, 64));
        long rows = 20;
        // in_proj 64->192, out_proj 64->64, linear1 64->128, linear2 128->64; sdpa on CPU is not counted
        assertThat(slow.flops()).isEqualTo(2 * rows * (64 * 192 + 64 * 64 + 64 * 128 + 128 * 64));
        assertThat(slow.notes())
                .anyMatch(n -> n.contains("_scaled_dot_product_flash_attention_for_cpu")
                        && n.contains(Long.toString(2 * 2 * (2L * 4 * 10 * 10 * 16))));

        FlopReport dec = json("""
                {"layers": [{"type": "TransformerDecoderLayer", "d_model": 64, "nhead": 4, "dim_feedforward": 128}]}""").flops(Shape.of(10, 2, 64));
        // self-attention (packed qkv) + cross-attention (q, then packed kv from memory) + two out_proj + the MLP
        assertThat(dec.flops())
                .isEqualTo(2 * rows * (64 * 192 + 64 * 64 + 64 * 128 + 64 * 64 + 64 * 64 + 128 * 64 + 64 * 128));
    }
}
