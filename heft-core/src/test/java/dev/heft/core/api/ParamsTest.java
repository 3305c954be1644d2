package dev.heft.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.api.render.Format;
import dev.heft.core.api.request.Choice;
import dev.heft.core.api.request.MemoryRequest;
import dev.heft.core.api.request.NetworkFitRequest;
import dev.heft.core.api.request.NetworkMemoryRequest;
import dev.heft.core.api.request.Runtime;
import dev.heft.core.api.request.TrainingRequest;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.model.ModelResolver;
import dev.heft.core.plan.WeightPlans;
import dev.heft.core.service.MemoryService;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Options as every face parses them: text in, typed values out, typos and mismatched options refused. */
class ParamsTest {
    private static ParamValues memory(Map<String, String> options) {
        return ParamValues.parse(Operations.MEMORY.params(), options);
    }

    @Test
    void tokenCountsTakeKAndMSuffixes() {
        assertThat(Params.CONTEXT.convert("8k")).isEqualTo(8192L);
        assertThat(Params.CONTEXT.convert("1m")).isEqualTo(1L << 20);
        assertThat(Params.CONTEXTS.convert("1k,8k,128k")).isEqualTo(List.of(1024L, 8192L, 131_072L));
        assertThatThrownBy(() -> Params.CONTEXT.convert("lots"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("context: ")
                .hasMessageContaining("'lots'");
    }

    @Test
    void aCustomDeviceKeepsItsOwnCommasInADeviceList() {
        // The README's line: three devices, the last one a custom device with three keys.
        assertThat(Params.DEVICES.convert("h200,8xh100-sxm,rtx-4090,custom:mem=24GB,bw=936,bf16=71"))
                .isEqualTo(List.of("h200", "8xh100-sxm", "rtx-4090", "custom:mem=24GB,bw=936,bf16=71"));
        assertThat(Params.DEVICES.convert("custom:mem=24GB,bw=936,rtx-4090"))
                .isEqualTo(List.of("custom:mem=24GB,bw=936", "rtx-4090"));
    }

    @Test
    void choicesAcceptTheirAliasesAndListTheKnownValues() {
        assertThat(Params.RUNTIME.convert("llama_cpp")).isEqualTo(Runtime.LLAMA_CPP);
        assertThat(Params.RUNTIME.convert("transformers")).isEqualTo(Runtime.PYTORCH);
        assertThatThrownBy(() -> Params.RUNTIME.convert("tensorrt")).hasMessageContaining("known: auto, pytorch");
    }

    @Test
    void outputFormatsAreAChoiceToo() {
        // --format takes the ids, any case, and markdown for md; the error lists the ids in order.
        assertThat(Format.parse("md")).isEqualTo(Format.MARKDOWN);
        assertThat(Format.parse("Markdown")).isEqualTo(Format.MARKDOWN);
        assertThat(Format.parse(" JSON ")).isEqualTo(Format.JSON);
        assertThat(Choice.ids(Format.class)).containsExactly("text", "json", "md", "csv");
        assertThatThrownBy(() -> Format.parse("html"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("format: unknown value 'html' (known: text, json, md, csv)");
    }

    @Test
    void unknownOptionsAreNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> memory(Map.of("contxt", "8k")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("contxt")
                .hasMessageContaining("context");
    }

    @Test
    void defaultsApplyWhenAnOptionIsNotGiven() {
        ParamValues v = memory(Map.of());
        assertThat(v.get(Params.CONTEXT)).isEqualTo(4096L);
        assertThat(v.isGiven(Params.CONTEXT)).isFalse();
        assertThat(v.optional(Params.DTYPE)).isEmpty();
    }

    @Test
    void dtypesWithoutAValueIsTheStandardTable() {
        // "default" stands for the model's own precision, the fixed table and mxfp4 for MoE models: it is expanded
        // once the model is known (WeightPlans.expand), so the option's value is the marker itself.
        assertThat(memory(Map.of("dtypes", "")).get(Params.PRECISION_TABLE)).containsExactly("default");
        assertThat(WeightPlans.defaultTable(
                        ModelProfile.of(ModelResolver.catalog("llama-3.2-1b")), MemoryService.DEFAULT_TABLE))
                .startsWith("native")
                .contains("bf16", "Q4_K_M", "nf4-dq")
                .doesNotContain("mxfp4");
    }

    private static Object memoryRequest(Map<String, String> options, Model... models) {
        return Operations.MEMORY.request().build(memory(options), List.of(models));
    }

    @Test
    void memoryBuildsATrainingRequestWithTrainAndRefusesTheOtherKindsOptions() {
        assertThat(memoryRequest(Map.of("train", "true", "lora", "16")))
                .isInstanceOfSatisfying(
                        TrainingRequest.class, t -> assertThat(t.loraRank()).isEqualTo(16));
        assertThat(memoryRequest(Map.of("context", "8k"))).isInstanceOf(MemoryRequest.class);
        assertThatThrownBy(() -> memoryRequest(Map.of("lora", "16")))
                .hasMessageContaining("--lora applies to training");
        assertThatThrownBy(() -> memoryRequest(Map.of("train", "true", "budget", "24GB")))
                .hasMessageContaining("--budget applies to inference");
        assertThatThrownBy(() -> memoryRequest(Map.of("train", "true", "dtypes", "")))
                .hasMessageContaining("--dtypes applies to inference");
    }

    @Test
    void aNetworkGetsItsOwnRequestsAndRefusesTransformerOptions() {
        Model resnet = Heft.create().open("resnet50");
        Model llm = Heft.create().open("llama-3.2-1b");
        assertThat(memoryRequest(Map.of("dtypes", ""), resnet))
                .isInstanceOfSatisfying(NetworkMemoryRequest.class, n -> {
                    assertThat(n.precisions()).hasValue(List.of()); // the network's own table, not the LLM one
                    assertThat(n.batch()).isEmpty(); // the input's own batch, not --batch's default of 1
                });
        assertThat(memoryRequest(Map.of("batch", "8", "input", "1,3,299,299"), resnet))
                .isInstanceOfSatisfying(NetworkMemoryRequest.class, n -> {
                    assertThat(n.batch()).hasValue(8L);
                    assertThat(n.input()).hasValue(List.of(1L, 3L, 299L, 299L));
                });
        assertThatThrownBy(() -> memoryRequest(Map.of("context", "8k"), resnet))
                .hasMessageContaining("--context applies to transformer models");
        assertThatThrownBy(() -> memoryRequest(Map.of("train", "true"), resnet))
                .hasMessageContaining("--train applies to transformer models");
        assertThatThrownBy(() -> memoryRequest(Map.of("input", "1,3,224,224"), llm))
                .hasMessageContaining("input: an input shape applies to torch.nn networks");
        Object fit =
                Operations.FIT.request().build(ParamValues.parse(Operations.FIT.params(), Map.of()), List.of(resnet));
        assertThat(fit).isInstanceOfSatisfying(NetworkFitRequest.class, f -> {
            assertThat(f.dtypes()).containsExactly("fp32", "fp16", "bf16", "int8", "fp8");
            assertThat(f.devices()).isEqualTo(NetworkFitRequest.DEFAULT_DEVICES);
        });
        assertThatThrownBy(() -> Operations.SPEED
                        .request()
                        .build(
                                ParamValues.parse(Operations.SPEED.params(), Map.of("device", "h200", "prompt", "512")),
                                List.of(resnet)))
                .hasMessageContaining("--prompt applies to transformer models");
    }

    @Test
    void valuesAreCheckedWhenParsedNotWhenUsed() {
        assertThatThrownBy(() -> memory(Map.of("batch", "0")))
                .hasMessageContaining("batch")
                .hasMessageContaining("outside 1..");
        assertThatThrownBy(() -> memory(Map.of("kv-dtype", "int3"))).hasMessageContaining("kv-dtype");
        assertThatThrownBy(() -> memory(Map.of("dtype", "q7_k"))).hasMessageContaining("dtype");
    }

    @Test
    void everyDescriptionExpandsItsVariables() {
        for (Operation<?> op : Operations.ALL) {
            for (Param<?> p : op.params()) {
                assertThat(p.describe())
                        .as(op.name() + " " + p)
                        .doesNotContain("${")
                        .isNotBlank();
            }
        }
    }
}
