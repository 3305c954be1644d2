package dev.heft.core.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random and hostile planner input: every outcome is a plan whose bytes add up, or an InvalidInputException. */
class PlannerRobustnessTest {

    private static final String[] KINDS = {
        "attn_q",
        "attn_k",
        "attn_v",
        "attn_qkv",
        "attn_output",
        "ffn_gate",
        "ffn_up",
        "ffn_down",
        "ffn_gate_exps",
        "ffn_down_exps",
        "ffn_gate_inp",
        "attn_norm",
        "ffn_norm",
        "attn_kv_b",
        "ssm_conv1d"
    };

    @Test
    void randomModelsPlanOrFailTyped() {
        Random rnd = new Random(20261128);
        LlamaFileType[] ftypes = LlamaFileType.values();
        String[] formats = {
            "gptq-4bit-g128",
            "gptq-3bit-g64",
            "awq",
            "nf4",
            "nf4-dq",
            "fp8",
            "fp8-block128",
            "int8",
            "llm.int8",
            "mxfp4",
            "bf16",
            "fp32"
        };
        int planned = 0;
        for (int round = 0; round < 400; round++) {
            int nLayer = 1 + rnd.nextInt(6);
            int nExpert = rnd.nextBoolean() ? 0 : 2 + rnd.nextInt(7);
            ModelFacts facts = ModelFacts.of(
                    rnd.nextBoolean() ? "llama" : "falcon", nLayer, 1 + rnd.nextInt(16), rnd.nextInt(8), nExpert);
            List<TensorSpec> tensors = new ArrayList<>();
            tensors.add(TensorSpec.of("token_embd.weight", DType.F32, 1 + rnd.nextInt(300), dim(rnd)));
            if (rnd.nextBoolean()) {
                tensors.add(TensorSpec.of("output.weight", DType.F32, 1 + rnd.nextInt(300), dim(rnd)));
            }
            for (int i = 0; i < nLayer + rnd.nextInt(2); i++) {
                for (String k : KINDS) {
                    if (rnd.nextInt(3) == 0) {
                        continue;
                    }
                    long[] shape = switch (rnd.nextInt(4)) {
                        case 0 -> new long[] {dim(rnd)};
                        case 1 -> new long[] {Math.max(1, nExpert), dim(rnd), dim(rnd)};
                        default -> new long[] {dim(rnd), dim(rnd)};
                    };
                    tensors.add(new TensorSpec("blk." + i + "." + k + ".weight", shape, DType.F32));
                }
            }
            try {
                QuantPlan p = LlamaQuantPlanner.plan(
                        tensors,
                        facts,
                        ftypes[rnd.nextInt(ftypes.length)],
                        new LlamaQuantOptions(
                                rnd.nextInt(5) == 0,
                                rnd.nextInt(5) == 0,
                                java.util.Optional.empty(),
                                java.util.Optional.empty(),
                                rnd.nextBoolean()));
                check(p, tensors.size());
                planned++;
            } catch (InvalidInputException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
            try {
                check(
                        CompressionPlanner.plan(
                                tensors, facts, PrecisionFormats.parse(formats[rnd.nextInt(formats.length)])),
                        tensors.size());
            } catch (InvalidInputException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
        assertThat(planned).isGreaterThan(50); // the generator is not so hostile that nothing plans
    }

    private static long dim(Random rnd) {
        return switch (rnd.nextInt(5)) {
            case 0 -> 32L * (1 + rnd.nextInt(64));
            case 1 -> 256L * (1 + rnd.nextInt(16));
            case 2 -> 1 + rnd.nextInt(700);
            case 3 -> 1;
            default -> 64;
        };
    }

    private static void check(QuantPlan p, int tensors) {
        assertThat(p.tensors()).hasSize(tensors);
        long sum = 0;
        for (PlannedTensor t : p.tensors()) {
            for (StoredTensor s : t.stored()) {
                assertThat(s.dtype().fitsBlocks(dev.heft.core.tensor.Shapes.elements(s.shape())))
                        .isTrue();
                sum += s.bytes();
            }
        }
        assertThat(p.bytes()).isEqualTo(sum);
    }

    @Test
    void absurdShapesAreTypedErrors() {
        assertThatThrownBy(() -> TensorSpec.of("blk.0.attn_q.weight", DType.F32, Long.MAX_VALUE, 2))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("blk.0.attn_q.weight");
        assertThatThrownBy(() -> TensorSpec.of("blk.0.attn_q.weight", DType.F32, -1, 2))
                .isInstanceOf(InvalidInputException.class);
        // Elements fit in a long, F32 bytes do not.
        List<TensorSpec> big = List.of(TensorSpec.of("blk.0.attn_norm.weight", DType.F32, Long.MAX_VALUE / 2));
        assertThatThrownBy(() -> LlamaQuantPlanner.plan(big, ModelFacts.of("llama", 1, 1, 1, 0), LlamaFileType.Q8_0))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("2^63 bytes");
        assertThatThrownBy(() -> ModelFacts.of("llama", 0, 1, 1, 0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ModelFacts.fromGgufMetadata(Map.of("general.architecture", "llama")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("llama.block_count");
    }

    @Test
    void specsFromAnInventoryRefusePackedWeights() {
        Tensor plain = Tensor.weight("blk.0.attn_q.weight", new long[] {4, 8}, DType.F16, 0, 64, null);
        Tensor scale = plain.withRole(TensorRole.QUANT_OVERHEAD);
        TensorInventory inv = new TensorInventory(ModelFormat.GGUF, List.of(), List.of(plain), Map.of());
        assertThat(TensorSpec.fromInventory(inv))
                .containsExactly(TensorSpec.of("blk.0.attn_q.weight", DType.F16, 4, 8));
        Tensor packed = Tensor.weight("m.qweight", new long[] {1, 8}, DType.I32, 0, 32, null)
                .withParameters(64);
        TensorInventory gptq = new TensorInventory(
                ModelFormat.SAFETENSORS,
                List.of(),
                List.of(
                        packed,
                        new Tensor("m.scales", new long[] {8}, DType.F16, TensorRole.QUANT_OVERHEAD, 0, 0, 16, null)),
                Map.of());
        assertThatThrownBy(() -> TensorSpec.fromInventory(gptq))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("m.qweight");
        assertThat(scale.role()).isEqualTo(TensorRole.QUANT_OVERHEAD);
    }
}
