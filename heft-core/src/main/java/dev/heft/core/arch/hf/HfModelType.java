package dev.heft.core.arch.hf;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every {@code model_type} heft counts exactly, each with the reader that applies its config class's defaults and
 * builds the transformers 5 module tree arithmetically. Older spellings of a type (Falcon's {@code RefinedWeb})
 * are aliases.
 */
public enum HfModelType {
    LLAMA("llama", c -> LlamaStyleDecoder.count("llama", DecoderFamilies.llama(c))),
    MISTRAL("mistral", c -> LlamaStyleDecoder.count("mistral", DecoderFamilies.mistral(c))),
    MIXTRAL("mixtral", c -> LlamaStyleDecoder.count("mixtral", DecoderFamilies.mixtral(c))),
    QWEN2("qwen2", c -> LlamaStyleDecoder.count("qwen2", DecoderFamilies.qwen2(c))),
    QWEN2_MOE("qwen2_moe", c -> LlamaStyleDecoder.count("qwen2_moe", DecoderFamilies.qwen2Moe(c))),
    QWEN3("qwen3", c -> LlamaStyleDecoder.count("qwen3", DecoderFamilies.qwen3(c))),
    QWEN3_MOE("qwen3_moe", c -> LlamaStyleDecoder.count("qwen3_moe", DecoderFamilies.qwen3Moe(c))),
    GEMMA("gemma", c -> LlamaStyleDecoder.count("gemma", DecoderFamilies.gemma(c))),
    GEMMA2("gemma2", c -> LlamaStyleDecoder.count("gemma2", DecoderFamilies.gemma2(c))),
    GEMMA3_TEXT("gemma3_text", c -> LlamaStyleDecoder.count("gemma3_text", DecoderFamilies.gemma3Text(c))),
    PHI("phi", ClassicDecoders::phi),
    PHI3("phi3", c -> LlamaStyleDecoder.count("phi3", DecoderFamilies.phi3(c))),
    GPT2("gpt2", ClassicDecoders::gpt2),
    GPT_NEOX("gpt_neox", ClassicDecoders::gptNeox),
    GPTJ("gptj", ClassicDecoders::gptj),
    OPT("opt", ClassicDecoders::opt),
    FALCON("falcon", ClassicDecoders::falcon, "RefinedWeb", "RefinedWebModel"),
    BLOOM("bloom", ClassicDecoders::bloom),
    MAMBA("mamba", MambaModel::count),
    DEEPSEEK_V2("deepseek_v2", c -> LlamaStyleDecoder.count("deepseek_v2", DecoderFamilies.deepseekV2(c))),
    DEEPSEEK_V3("deepseek_v3", c -> LlamaStyleDecoder.count("deepseek_v3", DecoderFamilies.deepseekV3(c))),
    GPT_OSS("gpt_oss", c -> LlamaStyleDecoder.count("gpt_oss", DecoderFamilies.gptOss(c))),
    BERT("bert", Encoders::bert),
    ROBERTA("roberta", Encoders::roberta),
    DISTILBERT("distilbert", Encoders::distilbert),
    ALBERT("albert", Encoders::albert),
    T5("t5", Seq2Seq::t5),
    BART("bart", Seq2Seq::bart),
    WHISPER("whisper", Seq2Seq::whisper),
    VIT("vit", Encoders::vit);

    private final String id;
    private final Function<HfConfig, HfArchitecture> counter;
    private final List<String> aliases;

    HfModelType(String id, Function<HfConfig, HfArchitecture> counter, String... aliases) {
        this.id = id;
        this.counter = counter;
        this.aliases = List.of(aliases);
    }

    /** The {@code model_type} string transformers writes. */
    public String id() {
        return id;
    }

    HfArchitecture count(HfConfig config) {
        return counter.apply(config);
    }

    public static Optional<HfModelType> of(String modelType) {
        for (HfModelType t : values()) {
            if (t.id.equals(modelType) || t.aliases.contains(modelType)) {
                return Optional.of(t);
            }
        }
        String lower = modelType.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.id.equals(lower)).findFirst();
    }

    public static List<String> supported() {
        return Arrays.stream(values()).map(HfModelType::id).toList();
    }
}
