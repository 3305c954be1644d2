package dev.heft.core.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Rules the shared GGUF fixtures do not exercise (they cover dense llama with n_gqa 2), each checked against the
 * branch of llama_tensor_get_type (llama.cpp c392e50 src/llama-quant.cpp) named in the test.
 */
class LlamaTypeRulesTest {

    /** A llama-style model: n_layer blocks of q/k/v/o/gate/up/down plus norms, embeddings and (optionally) output. */
    private static List<TensorSpec> llama(int nLayer, long embd, long kv, long ff, boolean withOutput, int nExpert) {
        List<TensorSpec> t = new ArrayList<>();
        t.add(TensorSpec.of("token_embd.weight", DType.F32, 1024, embd));
        if (withOutput) {
            t.add(TensorSpec.of("output.weight", DType.F32, 1024, embd));
        }
        t.add(TensorSpec.of("output_norm.weight", DType.F32, embd));
        for (int i = 0; i < nLayer; i++) {
            String b = "blk." + i + ".";
            t.add(TensorSpec.of(b + "attn_norm.weight", DType.F32, embd));
            t.add(TensorSpec.of(b + "attn_q.weight", DType.F32, embd, embd));
            t.add(TensorSpec.of(b + "attn_k.weight", DType.F32, kv, embd));
            t.add(TensorSpec.of(b + "attn_v.weight", DType.F32, kv, embd));
            t.add(TensorSpec.of(b + "attn_output.weight", DType.F32, embd, embd));
            t.add(TensorSpec.of(b + "ffn_norm.weight", DType.F32, embd));
            if (nExpert > 1) {
                t.add(TensorSpec.of(b + "ffn_gate_inp.weight", DType.F32, nExpert, embd));
                t.add(TensorSpec.of(b + "ffn_gate_exps.weight", DType.F32, nExpert, ff, embd));
                t.add(TensorSpec.of(b + "ffn_up_exps.weight", DType.F32, nExpert, ff, embd));
                t.add(TensorSpec.of(b + "ffn_down_exps.weight", DType.F32, nExpert, embd, ff));
            } else {
                t.add(TensorSpec.of(b + "ffn_gate.weight", DType.F32, ff, embd));
                t.add(TensorSpec.of(b + "ffn_up.weight", DType.F32, ff, embd));
                t.add(TensorSpec.of(b + "ffn_down.weight", DType.F32, embd, ff));
            }
        }
        return t;
    }

    private static String type(QuantPlan p, String name) {
        return p.tensor(name).orElseThrow().encoding();
    }

    @Test
    void q3KmRaisesTheFirstTwoAttnVToQ5KAndAttnOutputToQ4K() {
        // attn_v: new_type = qs.i_attention_wv < 2 ? Q5_K : Q4_K; attn_output (non-falcon, n_expert != 8): Q4_K.
        QuantPlan p = LlamaQuantPlanner.plan(
                llama(4, 256, 256, 512, true, 0), ModelFacts.of("llama", 4, 8, 8, 0), LlamaFileType.Q3_K_M);
        assertThat(List.of(
                        type(p, "blk.0.attn_v.weight"),
                        type(p, "blk.1.attn_v.weight"),
                        type(p, "blk.2.attn_v.weight"),
                        type(p, "blk.3.attn_v.weight")))
                .containsExactly("Q5_K", "Q5_K", "Q4_K", "Q4_K");
        assertThat(type(p, "blk.0.attn_output.weight")).isEqualTo("Q4_K");
        assertThat(type(p, "blk.0.attn_q.weight")).isEqualTo("Q3_K");
        // ffn_down: i_layer < n_layer/16 ? Q5_K : (arch != falcon || use_more_bits) ? Q4_K : Q3_K
        assertThat(type(p, "blk.0.ffn_down.weight")).isEqualTo("Q4_K");
    }

    @Test
    void q2KWithWideGqaPutsAttnVAtQ4K() {
        QuantPlan p = LlamaQuantPlanner.plan(
                llama(2, 256, 64, 512, true, 0), ModelFacts.of("llama", 2, 8, 2, 0), LlamaFileType.Q2_K);
        assertThat(type(p, "blk.0.attn_v.weight")).isEqualTo("Q4_K"); // n_gqa 4 >= 4
        assertThat(type(p, "blk.0.ffn_down.weight")).isEqualTo("Q3_K");
        assertThat(type(p, "token_embd.weight")).isEqualTo("Q2_K");
    }

    @Test
    void tiedEmbeddingsGetTheOutputTreatment() {
        // No output.weight: token_embd.weight is quantized like the output tensor (Q6_K for Q4_K_M).
        QuantPlan p = LlamaQuantPlanner.plan(
                llama(2, 256, 128, 512, false, 0), ModelFacts.of("llama", 2, 8, 4, 0), LlamaFileType.Q4_K_M);
        assertThat(type(p, "token_embd.weight")).isEqualTo("Q6_K");
    }

    @Test
    void eightExpertModelsBumpAttnVAndAttnKToQ8AndKeepTheRouter() {
        QuantPlan p = LlamaQuantPlanner.plan(
                llama(8, 256, 64, 512, true, 8), ModelFacts.of("llama", 8, 8, 2, 8), LlamaFileType.Q4_K_M);
        assertThat(type(p, "blk.0.attn_v.weight")).isEqualTo("Q8_0");
        assertThat(type(p, "blk.0.attn_k.weight")).isEqualTo("Q8_0");
        assertThat(type(p, "blk.0.attn_output.weight")).isEqualTo("Q5_K");
        assertThat(type(p, "blk.0.ffn_gate_inp.weight")).isEqualTo("F32");
        // ffn_down of MoE: the layer comes from the name; use_more_bits(i, 8) holds for 0 (< 8/8), 3 and 6 ((i - 1) % 3
        // == 2) and 7 (>= 7*8/8).
        List<String> down = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            down.add(type(p, "blk." + i + ".ffn_down_exps.weight"));
        }
        assertThat(down).containsExactly("Q6_K", "Q4_K", "Q4_K", "Q6_K", "Q4_K", "Q4_K", "Q6_K", "Q6_K");
        // 3-D expert tensors are quantized whole: bytes are experts x rows x row bytes.
        assertThat(p.tensor("blk.1.ffn_down_exps.weight").orElseThrow().bytes())
                .isEqualTo(8L * 256 * (512 / 256) * 144);
    }

    @Test
    void seventyBRaisesAttnVFromQ4KToQ5K() {
        ModelFacts facts = ModelFacts.of("llama", 80, 64, 8, 0);
        assertThat(facts.is70B()).isTrue();
        List<TensorSpec> t = List.of(
                TensorSpec.of("blk.40.attn_v.weight", DType.F32, 1024, 8192),
                TensorSpec.of("blk.40.attn_q.weight", DType.F32, 8192, 8192));
        QuantPlan p = LlamaQuantPlanner.plan(t, facts, LlamaFileType.IQ3_M);
        assertThat(type(p, "blk.40.attn_v.weight")).isEqualTo("Q5_K"); // IQ3_M -> Q4_K -> 70B -> Q5_K
        assertThat(type(p, "blk.40.attn_q.weight")).isEqualTo("IQ3_S");
    }

    @Test
    void lowBitIqTypes() {
        QuantPlan p = LlamaQuantPlanner.plan(
                llama(8, 256, 256, 512, true, 0), ModelFacts.of("llama", 8, 8, 8, 0), LlamaFileType.IQ2_XXS);
        assertThat(type(p, "output.weight")).isEqualTo("Q5_K");
        assertThat(type(p, "token_embd.weight")).isEqualTo("Q2_K");
        assertThat(type(p, "blk.0.attn_v.weight")).isEqualTo("Q2_K"); // n_gqa 1 < 4
        assertThat(type(p, "blk.0.ffn_down.weight")).isEqualTo("Q2_K"); // i_ffn_down 0 < 8/8
        assertThat(type(p, "blk.1.ffn_down.weight")).isEqualTo("IQ2_XXS");
        assertThat(type(p, "blk.1.attn_q.weight")).isEqualTo("IQ2_XXS");
    }

    @Test
    void leaveOutputTensorAndOverrides() {
        List<TensorSpec> t = llama(2, 256, 128, 512, true, 0);
        ModelFacts facts = ModelFacts.of("llama", 2, 8, 4, 0);
        QuantPlan left = LlamaQuantPlanner.plan(
                t,
                facts,
                LlamaFileType.Q4_K_M,
                new LlamaQuantOptions(false, true, Optional.empty(), Optional.empty(), false));
        assertThat(type(left, "output.weight")).isEqualTo("F32");
        QuantPlan over = LlamaQuantPlanner.plan(
                t,
                facts,
                LlamaFileType.Q4_K_M,
                new LlamaQuantOptions(false, false, Optional.of(DType.Q8_0), Optional.of(DType.F16), false));
        assertThat(type(over, "output.weight")).isEqualTo("Q8_0");
        assertThat(type(over, "token_embd.weight")).isEqualTo("F16");
    }

    @Test
    void llamaQuantizeRefusals() {
        ModelFacts facts = ModelFacts.of("llama", 2, 6, 2, 0);
        // Q4_0 on a row of 688: no fallback exists ("Unsupported tensor size encountered"), so llama-quantize writes
        // no file: the plan is not applicable, names the tensor, and keeps every tensor as it is (no silent size).
        List<TensorSpec> odd = List.of(
                TensorSpec.of("blk.0.attn_q.weight", DType.F32, 256, 256),
                TensorSpec.of("blk.0.ffn_down.weight", DType.F32, 192, 688));
        QuantPlan refused = LlamaQuantPlanner.plan(odd, facts, LlamaFileType.Q4_0);
        assertThat(refused.applicability())
                .isInstanceOfSatisfying(
                        Applicability.NotApplicable.class,
                        na -> assertThat(na.reason())
                                .contains("blk.0.ffn_down.weight")
                                .contains("688")
                                .contains("no fallback for Q4_0"));
        assertThat(refused.encodingCounts()).isEqualTo(java.util.Map.of("F32", 2));
        assertThat(refused.toJson()).containsEntry("applicable", false).containsKey("not_applicable_reason");
        // --pure skips the mixture rules but not the fallback (llama_tensor_get_type at 007dbbf3 calls
        // tensor_type_fallback for every quantized default type, pure or not): Q4_K on rows of 192 -> Q5_0.
        List<TensorSpec> rows192 = List.of(TensorSpec.of("blk.0.attn_q.weight", DType.F32, 192, 192));
        QuantPlan pure = LlamaQuantPlanner.plan(
                rows192,
                facts,
                LlamaFileType.Q4_K_M,
                LlamaQuantOptions.defaults(LlamaFileType.Q4_K_M).withPure(true));
        assertThat(type(pure, "blk.0.attn_q.weight")).isEqualTo("Q5_0");
        // The lowest-bit types need an importance matrix.
        List<TensorSpec> square = List.of(TensorSpec.of("blk.0.attn_q.weight", DType.F32, 256, 256));
        QuantPlan noImatrix = LlamaQuantPlanner.plan(
                square,
                facts,
                LlamaFileType.IQ2_XXS,
                LlamaQuantOptions.defaults(LlamaFileType.IQ2_XXS).withImportanceMatrix(false));
        assertThat(noImatrix.applicability())
                .isInstanceOfSatisfying(
                        Applicability.NotApplicable.class,
                        na -> assertThat(na.reason())
                                .contains("importance matrix")
                                .contains("blk.0.attn_q.weight"));
        assertThat(LlamaQuantPlanner.plan(
                                square,
                                facts,
                                LlamaFileType.IQ2_XXS,
                                LlamaQuantOptions.defaults(LlamaFileType.IQ2_XXS)
                                        .withImportanceMatrix(true))
                        .applicability())
                .isInstanceOf(Applicability.Applies.class);
        // Duplicate names.
        assertThatThrownBy(() -> LlamaQuantPlanner.plan(
                        List.of(square.getFirst(), square.getFirst()), facts, LlamaFileType.Q8_0))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("twice");
        // A MoE tensor whose layer cannot be read.
        ModelFacts moe = ModelFacts.of("llama", 2, 8, 2, 4);
        List<TensorSpec> bad = List.of(TensorSpec.of("blk.7.ffn_down_exps.weight", DType.F32, 4, 256, 512));
        assertThatThrownBy(() -> LlamaQuantPlanner.plan(bad, moe, LlamaFileType.Q4_K_M))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Bad layer 7");
    }

    @Test
    void aMissingAttnVIsNoted() {
        List<TensorSpec> t = new ArrayList<>(llama(2, 256, 128, 512, true, 0));
        t.removeIf(s -> s.name().equals("blk.1.attn_v.weight"));
        QuantPlan p = LlamaQuantPlanner.plan(t, ModelFacts.of("llama", 2, 8, 4, 0), LlamaFileType.Q4_K_M);
        assertThat(p.notes()).anyMatch(n -> n.startsWith("1 attn_v/attn_qkv/attn_kv_b tensors for 2 layers"));
        QuantPlan full = LlamaQuantPlanner.plan(
                llama(2, 256, 128, 512, true, 0), ModelFacts.of("llama", 2, 8, 4, 0), LlamaFileType.Q4_K_M);
        assertThat(full.notes()).isEmpty();
    }

    @Test
    void loaderOrderSortsLayersNumerically() {
        List<TensorSpec> t = List.of(
                TensorSpec.of("blk.10.attn_v.weight", DType.F32, 32, 32),
                TensorSpec.of("blk.9.attn_v.weight", DType.F32, 32, 32),
                TensorSpec.of("output.weight", DType.F32, 32, 32),
                TensorSpec.of("blk.9.attn_k.weight", DType.F32, 32, 32));
        assertThat(LlamaQuantPlanner.loaderOrder(t).stream().map(TensorSpec::name))
                .containsExactly("output.weight", "blk.9.attn_k.weight", "blk.9.attn_v.weight", "blk.10.attn_v.weight");
    }

    @Test
    void useMoreBitsMatchesTheFormula() {
        // i < n/8 || i >= 7n/8 || (i - n/8) % 3 == 2, for a 32-layer model: 0-3, 28-31 and 6, 9, 12, ... 27.
        List<Integer> more = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            if (LlamaTypeRules.useMoreBits(i, 32)) {
                more.add(i);
            }
        }
        assertThat(more).containsExactly(0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31);
    }
}
