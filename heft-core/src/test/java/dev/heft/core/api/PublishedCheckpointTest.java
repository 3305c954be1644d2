package dev.heft.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.api.report.FitReport;
import dev.heft.core.api.report.MemoryReport;
import dev.heft.core.api.request.FitRequest;
import dev.heft.core.api.request.MemoryRequest;
import dev.heft.core.compress.PlannedTensor;
import dev.heft.core.compress.StoredTensor;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.model.ModelResolver;
import dev.heft.core.tensor.DType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Catalog models in the precision they are published in, against the published checkpoints' own sizes: the
 * {@code total_size} of their {@code model.safetensors.index.json} (the sum of the tensors' bytes the shards hold) and
 * the parameters by dtype the Hugging Face API reports from the safetensors headers
 * ({@code https://huggingface.co/api/models/REPO?expand[]=safetensors}). Each number is quoted with where it comes from;
 * none is heft's own output.
 */
class PublishedCheckpointTest {
    private static final Heft HEFT = Heft.create();

    private static MemoryReport memory(String id) {
        return HEFT.open(id).memory(MemoryRequest.defaults());
    }

    /** Elements of the stored tensors of a model's published plan, by dtype, with the stored buffers in F32. */
    private static Map<DType, Long> elementsByDtype(String id) {
        ModelProfile p = ModelProfile.of(ModelResolver.catalog(id));
        Map<DType, Long> out = new EnumMap<>(DType.class);
        for (PlannedTensor t : p.nativePrecision().plan().orElseThrow().tensors()) {
            for (StoredTensor s : t.stored()) {
                long n = 1;
                for (long d : s.shape()) {
                    n *= d;
                }
                out.merge(s.dtype(), n, Long::sum);
            }
        }
        long buffers = p.nativeWeightBytes() - p.nativePrecision().plan().get().bytes();
        out.merge(DType.F32, buffers / 4, Long::sum);
        return out;
    }

    @Test
    void gptOss20bIsItsSafetensorsIndexTotalSize() {
        // https://huggingface.co/openai/gpt-oss-20b/blob/main/model.safetensors.index.json:
        // {"metadata": {"total_size": 13761264768}, ...}
        MemoryReport r = memory("gpt-oss-20b");
        assertThat(r.weightsBytes()).isEqualTo(13_761_264_768L);
        assertThat(r.dtype()).isEqualTo("mxfp4");
        assertThat(r.dtypeOrigin()).contains("as published");
    }

    @Test
    void gptOss120bIsItsSafetensorsIndexTotalSizeAndFitsOne80GbGpu() {
        // https://huggingface.co/openai/gpt-oss-120b/blob/main/model.safetensors.index.json: total_size 65248815744
        assertThat(memory("gpt-oss-120b").weightsBytes()).isEqualTo(65_248_815_744L);
        // The model card: "gpt-oss-120b ... fits into a single H100 GPU" (80 GB), as published, at the default context.
        FitReport fit = HEFT.open("gpt-oss-120b").fit(FitRequest.defaults().withDevices(List.of("h100-sxm")));
        FitReport.Row own = fit.rows().getFirst();
        assertThat(own.dtype()).isEqualTo("mxfp4");
        assertThat(own.dtypeOrigin()).contains("as published");
        assertThat(own.fits()).isTrue();
        // ... and not in bf16, which is what it would take without the published precision.
        assertThat(fit.rows().stream()
                        .filter(x -> x.dtype().equals("bf16"))
                        .findFirst()
                        .orElseThrow()
                        .fits())
                .isFalse();
    }

    /**
     * DeepSeek-V3's published checkpoint by dtype (https://huggingface.co/api/models/deepseek-ai/DeepSeek-V3
     * ?expand[]=safetensors: {"parameters": {"BF16": 3918786560, "F8_E4M3": 680571043840, "F32": 41555600},
     * "total": 684531386000}) includes its multi-token-prediction layer, model.layers.61, which transformers does not
     * build and runtimes load only for speculative decoding. The main model is that total less layer 61's tensors, whose
     * shapes the shard headers list (model-00163-of-000163.safetensors): the MLA projections in F8_E4M3 with F32
     * weight_scale_inv per 128 x 128 block, the norms in BF16, 256 routed experts and 1 shared expert in F8_E4M3 with
     * scales, the router in BF16 with its F32 e_score_correction_bias, and the MTP's own eh_proj, embed_tokens,
     * shared_head.head and three norms in BF16.
     */
    @Test
    void deepSeekV3IsThePublishedDtypeBreakdownLessTheMultiTokenPredictionLayer() {
        long f8 = 680_571_043_840L;
        long bf16 = 3_918_786_560L;
        long f32 = 41_555_600L;
        // layer 61: attention weights [out, in] and their scale grids
        long[][] attention = {{1536, 7168}, {24576, 1536}, {576, 7168}, {32768, 512}, {7168, 16384}};
        long[][] attentionScales = {{12, 56}, {192, 12}, {5, 56}, {256, 4}, {56, 128}};
        for (int i = 0; i < attention.length; i++) {
            f8 -= attention[i][0] * attention[i][1];
            f32 -= attentionScales[i][0] * attentionScales[i][1];
        }
        // 257 experts (256 routed + 1 shared) of gate [2048, 7168], up [2048, 7168], down [7168, 2048]
        f8 -= 257L * 3 * 2048 * 7168;
        f32 -= 257L * (16 * 56 + 16 * 56 + 56 * 16);
        f32 -= 256; // mlp.gate.e_score_correction_bias
        bf16 -= 256L * 7168; // mlp.gate.weight
        bf16 -= 7168 + 7168 + 1536 + 512; // input/post_attention layernorm, q_a_layernorm, kv_a_layernorm
        bf16 -= 7168L * 14336 + 2L * 129280 * 7168 + 3 * 7168; // eh_proj, embed_tokens, shared_head.head, 3 norms
        Map<DType, Long> heft = elementsByDtype("deepseek-v3");
        assertThat(heft.get(DType.F8_E4M3)).isEqualTo(f8);
        assertThat(heft.get(DType.BF16)).isEqualTo(bf16);
        assertThat(heft.get(DType.F32)).isEqualTo(f32);
        assertThat(memory("deepseek-v3").weightsBytes())
                .isEqualTo(f8 + 2 * bf16 + 4 * f32)
                .isEqualTo(673_150_611_808L);
        // DeepSeek-R1 is published with the same layout (its API answer is the same three numbers).
        assertThat(memory("deepseek-r1").weightsBytes()).isEqualTo(673_150_611_808L);
    }

    @Test
    void qwen3Fp8ReleaseStoresBf16BlockScales() {
        // https://huggingface.co/api/models/Qwen/Qwen3-30B-A3B-FP8?expand[]=safetensors: {"parameters":
        // {"BF16": 636948480, "F8_E4M3": 29896998912}, "total": 30533947392}: no F32, so the weight_scale_inv
        // block scales are among the BF16 (the same figures appear in a public test fixture of the API answer).
        Map<DType, Long> heft = elementsByDtype("qwen3-30b-a3b-fp8");
        assertThat(heft.get(DType.F8_E4M3)).isEqualTo(29_896_998_912L);
        assertThat(heft.get(DType.BF16)).isEqualTo(636_948_480L);
        assertThat(heft.getOrDefault(DType.F32, 0L)).isZero();
        assertThat(memory("qwen3-30b-a3b-fp8").weightsBytes()).isEqualTo(2 * 636_948_480L + 29_896_998_912L);
    }

    @Test
    void theDefaultPrecisionTableHasThePublishedRowAndMxfp4OnlyForMoeModels() {
        MemoryReport gptOss =
                HEFT.open("gpt-oss-20b").memory(MemoryRequest.defaults().withPrecisions(List.of("default")));
        List<MemoryReport.PrecisionRow> rows = gptOss.precisions().orElseThrow();
        assertThat(rows.getFirst().dtype()).isEqualTo("mxfp4");
        assertThat(rows.getFirst().dtypeOrigin()).contains("as published");
        assertThat(rows.stream().filter(x -> x.dtype().equals("mxfp4"))).hasSize(1);

        MemoryReport mixtral =
                HEFT.open("mixtral-8x7b").memory(MemoryRequest.defaults().withPrecisions(List.of("default")));
        assertThat(mixtral.precisions().orElseThrow()).anySatisfy(x -> {
            assertThat(x.dtype()).isEqualTo("mxfp4");
            assertThat(x.applicable()).isTrue();
        });
        // Published in bf16: that row keeps its place in the table and is marked, with no second row.
        List<MemoryReport.PrecisionRow> llama = HEFT.open("llama-3.2-1b")
                .memory(MemoryRequest.defaults().withPrecisions(List.of("default")))
                .precisions()
                .orElseThrow();
        assertThat(llama.stream().map(MemoryReport.PrecisionRow::dtype))
                .doesNotContain("mxfp4")
                .startsWith("fp32", "bf16");
        assertThat(llama.get(1).dtypeOrigin()).contains("as published");
    }
}
