package dev.heft.core.arch.hf;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every {@code model_type} heft counts exactly, each with the reader that applies its config class's defaults and
 * builds the transformers 5 module tree arithmetically. Older spellings of a type (Falcon's {@code RefinedWeb})
 * are aliases.
 */
public enum HfModelType {
    LLAMA("llama", (Spec) DecoderFamilies::llama),
    MISTRAL("mistral", (Spec) DecoderFamilies::mistral),
    MIXTRAL("mixtral", (Spec) DecoderFamilies::mixtral),
    QWEN2("qwen2", (Spec) DecoderFamilies::qwen2),
    QWEN2_MOE("qwen2_moe", (Spec) DecoderFamilies::qwen2Moe),
    QWEN3("qwen3", (Spec) DecoderFamilies::qwen3),
    QWEN3_MOE("qwen3_moe", (Spec) DecoderFamilies::qwen3Moe),
    GEMMA("gemma", (Spec) DecoderFamilies::gemma),
    GEMMA2("gemma2", (Spec) DecoderFamilies::gemma2),
    GEMMA3_TEXT("gemma3_text", (Spec) DecoderFamilies::gemma3Text),
    PHI("phi", ClassicDecoders::phi),
    PHI3("phi3", (Spec) DecoderFamilies::phi3),
    GPT2("gpt2", ClassicDecoders::gpt2),
    GPT_NEOX("gpt_neox", ClassicDecoders::gptNeox),
    GPTJ("gptj", ClassicDecoders::gptj),
    CODEGEN("codegen", ClassicDecoders::codegen),
    GPT_BIGCODE("gpt_bigcode", ClassicDecoders::gptBigcode),
    MPT("mpt", ClassicDecoders::mpt),
    OPT("opt", ClassicDecoders::opt),
    FALCON("falcon", ClassicDecoders::falcon, "RefinedWeb", "RefinedWebModel"),
    BLOOM("bloom", ClassicDecoders::bloom),
    MAMBA("mamba", MambaModel::count),
    RECURRENT_GEMMA("recurrent_gemma", RecurrentDecoders::recurrentGemma),
    RWKV("rwkv", RecurrentDecoders::rwkv),
    DEEPSEEK_V2("deepseek_v2", (Spec) DecoderFamilies::deepseekV2),
    DEEPSEEK_V3("deepseek_v3", (Spec) DecoderFamilies::deepseekV3),
    GPT_OSS("gpt_oss", (Spec) DecoderFamilies::gptOss),
    BERT("bert", Encoders::bert),
    ROBERTA("roberta", Encoders::roberta),
    XLM_ROBERTA("xlm-roberta", Encoders::xlmRoberta),
    CAMEMBERT("camembert", Encoders::camembert),
    DISTILBERT("distilbert", Encoders::distilbert),
    ALBERT("albert", Encoders::albert),
    ELECTRA("electra", ModernEncoders::electra),
    DEBERTA_V2("deberta-v2", ModernEncoders::debertaV2),
    MODERNBERT("modernbert", ModernEncoders::modernbert),
    MPNET("mpnet", ModernEncoders::mpnet),
    WAV2VEC2("wav2vec2", SpeechEncoders::wav2vec2),
    HUBERT("hubert", SpeechEncoders::hubert),
    WAVLM("wavlm", SpeechEncoders::wavlm),
    SPEECHT5("speecht5", SpeechEncoders::speecht5),
    T5("t5", Seq2Seq::t5),
    MT5("mt5", Seq2Seq::mt5),
    UMT5("umt5", Seq2Seq::umt5),
    BART("bart", Seq2Seq::bart),
    MBART("mbart", Seq2Seq::mbart),
    PEGASUS("pegasus", Seq2Seq::pegasus),
    MARIAN("marian", Seq2Seq::marian),
    M2M_100("m2m_100", Seq2Seq::m2m100),
    NLLB_MOE("nllb-moe", Seq2Seq::nllbMoe),
    WHISPER("whisper", Seq2Seq::whisper),
    VIT("vit", Encoders::vit),
    DINOV2("dinov2", Encoders::dinov2),
    // image-text contrastive models and their halves (ContrastiveModels)
    CLIP("clip", ContrastiveModels::clip),
    SIGLIP("siglip", ContrastiveModels::siglip),
    SIGLIP2("siglip2", ContrastiveModels::siglip2),
    CLIP_TEXT_MODEL("clip_text_model", ContrastiveModels::clipText),
    SIGLIP_TEXT_MODEL("siglip_text_model", ContrastiveModels::siglipText),
    SIGLIP2_TEXT_MODEL("siglip2_text_model", ContrastiveModels::siglip2Text),
    CLIP_VISION_MODEL("clip_vision_model", ContrastiveModels::clipVision),
    SIGLIP_VISION_MODEL("siglip_vision_model", ContrastiveModels::siglipVision),
    SIGLIP2_VISION_MODEL("siglip2_vision_model", ContrastiveModels::siglip2Vision),
    PIXTRAL("pixtral", ContrastiveModels::pixtral),
    // vision-language composites: tower + projector + an exactly counted language model, reported as parts
    LLAVA("llava", VisionLanguageModels::llava),
    LLAVA_NEXT("llava_next", VisionLanguageModels::llavaNext),
    PALIGEMMA("paligemma", VisionLanguageModels::paligemma),
    GEMMA3("gemma3", VisionLanguageModels::gemma3),
    MISTRAL3("mistral3", VisionLanguageModels::mistral3),
    LLAMA4("llama4", VisionLanguageModels::llama4),
    QWEN2_VL("qwen2_vl", VisionLanguageModels::qwen2Vl),
    QWEN2_5_VL("qwen2_5_vl", VisionLanguageModels::qwen25Vl),
    QWEN3_VL("qwen3_vl", VisionLanguageModels::qwen3Vl),
    QWEN3_VL_MOE("qwen3_vl_moe", VisionLanguageModels::qwen3VlMoe),
    INTERNVL("internvl", VisionLanguageModels::internvl),
    IDEFICS3("idefics3", VisionLanguageModels::idefics3),
    MLLAMA("mllama", VisionLanguageModels::mllama),
    // Llama-like families counted exactly; their tensor names are not listed (--tensors) until verified per family
    OLMO("olmo", unlisted(LlamaLikeFamilies::olmo)),
    OLMO2("olmo2", unlisted(LlamaLikeFamilies::olmo2)),
    OLMO3("olmo3", unlisted(LlamaLikeFamilies::olmo3)),
    OLMOE("olmoe", unlisted(LlamaLikeFamilies::olmoe)),
    GRANITE("granite", unlisted(LlamaLikeFamilies::granite)),
    GRANITEMOE("granitemoe", unlisted(LlamaLikeFamilies::granitemoe)),
    GRANITEMOESHARED("granitemoeshared", unlisted(LlamaLikeFamilies::granitemoeshared)),
    HELIUM("helium", unlisted(LlamaLikeFamilies::helium)),
    SMOLLM3("smollm3", unlisted(LlamaLikeFamilies::smollm3)),
    STARCODER2("starcoder2", unlisted(LlamaLikeFamilies::starcoder2)),
    GLM("glm", unlisted(LlamaLikeFamilies::glm)),
    GLM4("glm4", unlisted(LlamaLikeFamilies::glm4)),
    GLM4_MOE("glm4_moe", unlisted(LlamaLikeFamilies::glm4Moe)),
    COHERE("cohere", unlisted(LlamaLikeFamilies::cohere)),
    COHERE2("cohere2", unlisted(LlamaLikeFamilies::cohere2)),
    EXAONE4("exaone4", unlisted(LlamaLikeFamilies::exaone4)),
    SEED_OSS("seed_oss", unlisted(LlamaLikeFamilies::seedOss)),
    MINISTRAL("ministral", unlisted(LlamaLikeFamilies::ministral)),
    STABLELM("stablelm", unlisted(LlamaLikeFamilies::stablelm)),
    HUNYUAN_V1_DENSE("hunyuan_v1_dense", unlisted(LlamaLikeFamilies::hunyuanDense)),
    PHIMOE("phimoe", unlisted(LlamaLikeFamilies::phimoe)),
    ARCEE("arcee", unlisted(LlamaLikeFamilies::arcee)),
    ERNIE4_5("ernie4_5", unlisted(LlamaLikeFamilies::ernie45)),
    // Llama-layout MoE decoders with their own routing (MoeFamilies)
    LLAMA4_TEXT("llama4_text", unlisted(MoeFamilies::llama4Text)),
    ERNIE4_5_MOE("ernie4_5_moe", unlisted(MoeFamilies::ernie45Moe)),
    HUNYUAN_V1_MOE("hunyuan_v1_moe", unlisted(MoeFamilies::hunyuanMoe)),
    DBRX("dbrx", unlisted(MoeFamilies::dbrx)),
    DEEPSEEK_V32("deepseek_v32", unlisted(MoeFamilies::deepseekV32)),
    DEEPSEEK_V4("deepseek_v4", DeepseekV4Model::count),
    NEMOTRON("nemotron", unlisted(LlamaLikeFamilies::nemotron)),
    // hybrids: attention on some layers, a linear-attention or state-space mixer on the others (HybridFamilies)
    QWEN3_NEXT("qwen3_next", unlisted(HybridFamilies::qwen3Next)),
    GRANITEMOEHYBRID("granitemoehybrid", unlisted(HybridFamilies::granitemoehybrid)),
    JAMBA("jamba", unlisted(HybridFamilies::jamba)),
    MINIMAX("minimax", unlisted(HybridFamilies::minimax)),
    FALCON_H1("falcon_h1", unlisted(HybridFamilies::falconH1)),
    ZAMBA2("zamba2", HybridFamilies::zamba2),
    // language models of vision-language composites, stand-alone as their base model (MultimodalTextFamilies)
    QWEN2_VL_TEXT("qwen2_vl_text", unlisted(MultimodalTextFamilies::qwen2VlText)),
    QWEN2_5_VL_TEXT("qwen2_5_vl_text", unlisted(MultimodalTextFamilies::qwen25VlText)),
    QWEN3_VL_TEXT("qwen3_vl_text", unlisted(MultimodalTextFamilies::qwen3VlText)),
    QWEN3_VL_MOE_TEXT("qwen3_vl_moe_text", unlisted(MultimodalTextFamilies::qwen3VlMoeText));

    private final String id;
    private final Function<HfConfig, HfArchitecture> counter;
    /** Llama-style families: the config reader whose spec the count (and, when listed, the tensor listing) use. */
    private final Spec spec;

    private final List<String> aliases;

    /** Reads a Llama-style family's config into the spec {@link LlamaStyleDecoder} counts and lists. */
    @FunctionalInterface
    interface Spec extends Function<HfConfig, DecoderSpec> {}

    /** A Llama-like family counted from its spec whose tensor names are not listed (--tensors) until verified. */
    private record Unlisted(Spec reader) implements Spec {
        @Override
        public DecoderSpec apply(HfConfig c) {
            return reader.apply(c);
        }
    }

    private static Spec unlisted(Spec reader) {
        return new Unlisted(reader);
    }

    HfModelType(String id, Function<HfConfig, HfArchitecture> counter, String... aliases) {
        this.id = id;
        this.counter = counter;
        this.spec = null;
        this.aliases = List.of(aliases);
    }

    HfModelType(String id, Spec spec) {
        this.id = id;
        this.spec = spec;
        this.counter = c -> LlamaStyleDecoder.count(id, spec.apply(c));
        this.aliases = List.of();
    }

    /** The Llama-style spec reader whose tensor names HfTensors lists, when this family has one. */
    Optional<Spec> spec() {
        return spec instanceof Unlisted ? Optional.empty() : Optional.ofNullable(spec);
    }

    /** The Llama-style spec reader, listed or not: what a composite counts its language model with. */
    Optional<Spec> decoderSpec() {
        return Optional.ofNullable(spec);
    }

    /** The {@code model_type} string transformers writes. */
    public String id() {
        return id;
    }

    HfArchitecture count(HfConfig config) {
        return counter.apply(config);
    }

    /** model_type and aliases to type, built once: lookups happen once per counted config. */
    private static final Map<String, HfModelType> BY_ID = byId();

    private static Map<String, HfModelType> byId() {
        Map<String, HfModelType> m = new HashMap<>();
        for (HfModelType t : values()) {
            m.put(t.id, t);
            t.aliases.forEach(a -> m.put(a, t));
        }
        return Map.copyOf(m);
    }

    public static Optional<HfModelType> of(String modelType) {
        HfModelType t = BY_ID.get(modelType);
        return t != null ? Optional.of(t) : Optional.ofNullable(BY_ID.get(modelType.toLowerCase(Locale.ROOT)));
    }

    public static List<String> supported() {
        return Arrays.stream(values()).map(HfModelType::id).toList();
    }
}
