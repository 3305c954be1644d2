package dev.heft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 14 item 8: fit, memory, speed and estimate --layers answer for vision models. */
class VisionCommandsTest {
    private static JsonObject json(String... args) {
        CliTestSupport.Result r = CliTestSupport.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return Json.parse(r.out()).asObject("output");
    }

    @Test
    void memoryDtypesUsesTheVisionPrecisions() {
        JsonObject o = json("memory", "resnet50", "--dtypes", "--json");
        List<String> dtypes = o.getArray("precisions").orElseThrow().elements().stream()
                .map(v -> v.asObject("row").getString("dtype", ""))
                .toList();
        assertThat(dtypes).containsExactly("fp32", "fp16", "bf16", "int8", "fp8");
        // torchvision-layers.json (scripts/vision_layers_ground_truth.py): resnet50 peaks at 10,436,608 B in fp32
        assertThat(o.getLong("activation_peak_bytes_per_image", -1)).isEqualTo(10_436_608L);
        assertThat(o.getLong("weights_bytes", -1)).isEqualTo(4L * (25_557_032 + 53_173));
    }

    @Test
    void fitAndSpeedAnswerInImagesPerSecond() {
        JsonObject fit = json("fit", "resnet50", "--devices", "rtx-4090,t4", "--json");
        List<JsonObject> rows = fit.getArray("rows").orElseThrow().elements().stream()
                .map(v -> v.asObject("row"))
                .toList();
        assertThat(rows).hasSize(10).allSatisfy(r -> {
            assertThat(r.getBoolean("fits", false)).isTrue();
            assertThat(r.get("images_per_s").orElseThrow()).isInstanceOf(JsonValue.JsonNumber.class);
        });
        assertThat(fit.getArray("notes").orElseThrow().elements())
                .anySatisfy(n -> assertThat(((JsonValue.JsonString) n).value())
                        .contains("T4")
                        .contains("runs as fp16"));
        JsonObject speed =
                json("speed", "resnet50", "--device", "rtx-4090", "--dtype", "fp16", "--batch", "32", "--json");
        assertThat(speed.getLong("batch", 0)).isEqualTo(32);
        assertThat(speed.getDouble("images_per_s", 0)).isPositive();
    }

    @Test
    void whatDoesNotFitGetsNoSpeed() {
        // As for transformers (issue 14 item 3): the report says why there is no speed, and gives none.
        JsonObject speed = json("speed", "vit_h_14", "--device", "rpi5", "--batch", "4096", "--json");
        assertThat(speed.get("images_per_s").orElseThrow()).isInstanceOf(JsonValue.JsonNull.class);
        assertThat(speed.getString("no_speed_reason", ""))
                .contains("no speed for what does not fit")
                .contains("up to batch");
        CliTestSupport.Result text = CliTestSupport.run("speed", "vit_h_14", "--device", "rpi5", "--batch", "4096");
        assertThat(text.out()).contains("No speed: batch 4096 at fp32 needs").doesNotContain("images/s");
        CliTestSupport.Result llm = CliTestSupport.run("memory", "resnet50", "--context", "8k");
        assertThat(llm.exitCode()).isEqualTo(1);
        assertThat(llm.err()).contains("--context applies to transformer models");
    }

    @Test
    void estimateLayersListsTorchinfoRows() {
        JsonObject o = json("estimate", "resnet18", "--layers", "--json");
        JsonObject layers = o.getObject("layers").orElseThrow();
        // torchinfo 1.8.0 on torchvision's resnet18 (torchvision-layers.json): 76 rows, 1,814,083,944 mult-adds
        assertThat(layers.getArray("rows").orElseThrow().elements()).hasSize(76);
        assertThat(layers.getLong("torchinfo_total_mult_adds", -1)).isEqualTo(1_814_083_944L);
        JsonObject conv1 = layers.getArray("rows").orElseThrow().get(1).asObject("row");
        assertThat(conv1.getString("class", "")).isEqualTo("Conv2d");
        assertThat(conv1.getLong("parameters", -1)).isEqualTo(9408);
        assertThat(conv1.getLong("activation_bytes", -1)).isEqualTo(3_211_264);
        CliTestSupport.Result text = CliTestSupport.run("estimate", "mobilenet_v2", "--layers");
        assertThat(text.out()).contains("InvertedResidual (1)").contains("torchinfo total mult-adds");
    }
}
