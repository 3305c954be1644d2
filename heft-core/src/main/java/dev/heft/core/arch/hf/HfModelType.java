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
    DEEPSEEK_V2("deepseek_v2", (Spec) DecoderFamilies::deepseekV2),
    DEEPSEEK_V3("deepseek_v3", (Spec) DecoderFamilies::deepseekV3),
    GPT_OSS("gpt_oss", (Spec) DecoderFamilies::gptOss),
    BERT("bert", Encoders::bert),
    ROBERTA("roberta", Encoders::roberta),
    XLM_ROBERTA("xlm-roberta", Encoders::xlmRoberta),
    CAMEMBERT("camembert", Encoders::camembert),
    DISTILBERT("distilbert", Encoders::distilbert),
    ALBERT("albert", Encoders::albert),
    T5("t5", Seq2Seq::t5),
    MT5("mt5", Seq2Seq::mt5),
    UMT5("umt5", Seq2Seq::umt5),
    BART("bart", Seq2Seq::bart),
    MBART("mbart", Seq2Seq::mbart),
    PEGASUS("pegasus", Seq2Seq::pegasus),
    MARIAN("marian", Seq2Seq::marian),
    M2M_100("m2m_100", Seq2Seq::m2m100),
    WHISPER("whisper", Seq2Seq::whisper),
    VIT("vit", Encoders::vit),
    // vision-language composites: tower + projector + an exactly counted language model, reported as parts
    LLAVA("llava", VisionLanguageModels::llava),
    LLAVA_NEXT("llava_next", VisionLanguageModels::llavaNext),
    PALIGEMMA("paligemma", VisionLanguageModels::paligemma),
    // Llama-like families counted exactly; their tensor names are not listed (--tensors) until verified per family
    OLMO("olmo", decoder("olmo", LlamaLikeFamilies::olmo)),
    OLMO2("olmo2", decoder("olmo2", LlamaLikeFamilies::olmo2)),
    OLMO3("olmo3", decoder("olmo3", LlamaLikeFamilies::olmo3)),
    OLMOE("olmoe", decoder("olmoe", LlamaLikeFamilies::olmoe)),
    GRANITE("granite", decoder("granite", LlamaLikeFamilies::granite)),
    GRANITEMOE("granitemoe", decoder("granitemoe", LlamaLikeFamilies::granitemoe)),
    GRANITEMOESHARED("granitemoeshared", decoder("granitemoeshared", LlamaLikeFamilies::granitemoeshared)),
    HELIUM("helium", decoder("helium", LlamaLikeFamilies::helium)),
    SMOLLM3("smollm3", decoder("smollm3", LlamaLikeFamilies::smollm3)),
    STARCODER2("starcoder2", decoder("starcoder2", LlamaLikeFamilies::starcoder2)),
    GLM("glm", decoder("glm", LlamaLikeFamilies::glm)),
    GLM4("glm4", decoder("glm4", LlamaLikeFamilies::glm4)),
    GLM4_MOE("glm4_moe", decoder("glm4_moe", LlamaLikeFamilies::glm4Moe)),
    COHERE("cohere", decoder("cohere", LlamaLikeFamilies::cohere)),
    COHERE2("cohere2", decoder("cohere2", LlamaLikeFamilies::cohere2)),
    EXAONE4("exaone4", decoder("exaone4", LlamaLikeFamilies::exaone4)),
    SEED_OSS("seed_oss", decoder("seed_oss", LlamaLikeFamilies::seedOss)),
    MINISTRAL("ministral", decoder("ministral", LlamaLikeFamilies::ministral)),
    STABLELM("stablelm", decoder("stablelm", LlamaLikeFamilies::stablelm)),
    HUNYUAN_V1_DENSE("hunyuan_v1_dense", decoder("hunyuan_v1_dense", LlamaLikeFamilies::hunyuanDense)),
    PHIMOE("phimoe", decoder("phimoe", LlamaLikeFamilies::phimoe)),
    ARCEE("arcee", decoder("arcee", LlamaLikeFamilies::arcee)),
    ERNIE4_5("ernie4_5", decoder("ernie4_5", LlamaLikeFamilies::ernie45));

    private final String id;
    private final Function<HfConfig, HfArchitecture> counter;
    /** Llama-style families: the config reader whose spec both the count and the tensor listing use. */
    private final Spec spec;
    private final List<String> aliases;

    /** Reads a Llama-style family's config into the spec {@link LlamaStyleDecoder} counts and lists. */
    @FunctionalInterface
    interface Spec extends Function<HfConfig, DecoderSpec> {
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

    /** A Llama-like family counted from its spec, without the per-tensor listing. */
    private static Function<HfConfig, HfArchitecture> decoder(String id, Function<HfConfig, DecoderSpec> spec) {
        return c -> LlamaStyleDecoder.count(id, spec.apply(c));
    }

    /** The Llama-style spec reader, when this family is one. */
    Optional<Spec> spec() {
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
