package dev.heft.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.api.render.Format;
import dev.heft.core.api.report.Report;
import dev.heft.core.api.report.ReportJson;
import dev.heft.core.testing.SharedFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON form of every command's report reads back to the same record, over catalog models, files of every kind and
 * the options that add or drop keys; and the other formats render the same report without failing. This is the
 * contract {@link ReportJson} promises: the record is the schema.
 */
class ReportRoundTripTest {
    private static final Heft HEFT = Heft.create();

    static Stream<Arguments> runs() {
        String gguf = SharedFixtures.fixture("gguf/tiny-llama-Q4_K_M.gguf").toString();
        String f32 = SharedFixtures.fixture("hf/safetensors/tiny-llama-f32").toString();
        String gpt2 = SharedFixtures.fixture("hf/safetensors/tiny-gpt2-tied").toString();
        String onnx = SharedFixtures.fixture("hf/onnx/tiny-bert-int4.onnx").toString();
        List<Arguments> out = new ArrayList<>();
        add(out, Operations.INSPECT, List.of(gguf), Map.of("tensors", "true"));
        add(out, Operations.INSPECT, List.of(gpt2), Map.of());
        add(out, Operations.INSPECT, List.of(onnx), Map.of());
        add(out, Operations.ESTIMATE, List.of("llama-3-8b"), Map.of("context", "1k,8k,128k", "macs", "true"));
        add(out, Operations.ESTIMATE, List.of("llama-3.2-1b"), Map.of("tensors", "true"));
        add(out, Operations.ESTIMATE, List.of("deepseek-v3"), Map.of());
        add(out, Operations.ESTIMATE, List.of("resnet50"), Map.of());
        add(out, Operations.ESTIMATE, List.of("vit_b_16"), Map.of("input", "1,3,384,384"));
        add(out, Operations.MEMORY, List.of("llama-3.2-1b"), Map.of("context", "8k", "dtypes", ""));
        add(out, Operations.MEMORY, List.of("mixtral-8x7b"), Map.of("dtype", "q4_k_m", "budget", "24GB"));
        add(out, Operations.MEMORY, List.of("qwen2.5-0.5b"), Map.of("train", "true", "lora", "16", "qlora", "true"));
        add(out, Operations.MEMORY, List.of("resnet50"), Map.of());
        add(out, Operations.MEMORY, List.of(gguf), Map.of("dtypes", "Q8_0,Q4_K_M"));
        add(out, Operations.MEMORY, List.of("resnet50"), Map.of("dtypes", "", "budget", "rtx-4090", "batch", "8"));
        add(out, Operations.MEMORY, List.of("vit_b_16"), Map.of("dtype", "fp16", "input", "1,3,384,384"));
        add(out, Operations.ESTIMATE, List.of("resnet18"), Map.of("layers", "true"));
        add(out, Operations.FIT, List.of("resnet50"), Map.of("devices", "h100-sxm,t4,rpi5", "batch", "2048"));
        add(out, Operations.FIT, List.of("mobilenet_v2"), Map.of("only-fitting", "true", "dtypes", "fp16,int8"));
        add(out, Operations.SPEED, List.of("resnet50"), Map.of("device", "rtx-4090", "dtype", "fp16", "batch", "64"));
        add(out, Operations.SPEED, List.of("vit_h_14"), Map.of("device", "rpi5", "batch", "4096"));
        add(out, Operations.FIT, List.of("llama-3-8b"), Map.of("devices", "h100-sxm,rtx-4090,webgpu"));
        add(out, Operations.FIT, List.of(gguf), Map.of("only-fitting", "true"));
        add(out, Operations.SPEED, List.of("llama-3-8b"), Map.of("device", "h200", "dtype", "q4_k_m"));
        add(out, Operations.COMPRESS, List.of("llama-3-8b"), Map.of("quant", "q4_k_m", "keep", "embeddings,head=fp16"));
        add(out, Operations.COMPRESS, List.of("llama-3-8b"), Map.of("prune", "2:4"));
        add(out, Operations.COMPRESS, List.of("llama-3-8b"), Map.of("distill", "layers=16"));
        add(out, Operations.QUANT_ERROR, List.of(f32), Map.of("scheme", "q8_0,q4_k,nf4", "prune", "magnitude:0.5"));
        add(out, Operations.COMPARE, List.of("llama-3-8b", "mixtral-8x7b", gguf), Map.of());
        add(out, Operations.CATALOG, List.of(), Map.of());
        add(out, Operations.MODELS, List.of(), Map.of());
        add(out, Operations.DEVICES_LIST, List.of(), Map.of("sources", "true"));
        return out.stream();
    }

    private static void add(List<Arguments> out, Operation<?> op, List<String> models, Map<String, String> options) {
        out.add(Arguments.of(
                op.name() + " "
                        + String.join(
                                " ",
                                models.stream()
                                        .map(ReportRoundTripTest::shortName)
                                        .toList()) + " " + options,
                op,
                models,
                options));
    }

    private static String shortName(String m) {
        Path p = Path.of(m).getFileName();
        return p == null ? m : p.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void jsonReadsBackToTheSameReport(String name, Operation<?> op, List<String> models, Map<String, String> options) {
        List<Model> opened = models.stream().map(HEFT::open).toList();
        Operation.Result result =
                op.run(HEFT, opened, ParamValues.parse(op.params(), new LinkedHashMap<>(options)), Progress.NONE);
        Report report = result.report();
        assertThat(op.reports()).contains(report.getClass());
        String json = ReportJson.write(report);
        Report back = ReportJson.read(json, report.getClass());
        assertThat(back).isEqualTo(report);
        // Written twice, byte for byte the same: no hash order leaks into the output.
        assertThat(ReportJson.write(back)).isEqualTo(json);
        for (Format f : List.of(Format.TEXT, Format.MARKDOWN, Format.CSV)) {
            assertThat(result.render(f)).as(f.id()).isNotBlank();
        }
    }

    /** The CLI's devices report ends with this machine ('local'), its detected and assumed lines included. */
    @org.junit.jupiter.api.Test
    void devicesWithThisMachineReadBack() {
        Heft withLocal = Heft.builder().localDevice().build();
        Operation.Result result = Operations.DEVICES_LIST.run(
                withLocal, List.of(), ParamValues.parse(Operations.DEVICES_LIST.params(), Map.of()), Progress.NONE);
        dev.heft.core.api.report.DevicesReport report = (dev.heft.core.api.report.DevicesReport) result.report();
        assertThat(report.devices().getLast().detected()).isPresent();
        String json = ReportJson.write(report);
        assertThat(ReportJson.read(json, dev.heft.core.api.report.DevicesReport.class))
                .isEqualTo(report);
        assertThat(result.render(Format.TEXT)).contains("local is this machine. Detected:");
    }
}
