package dev.heft.core.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrecisionFormatsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "q4_k_m, Q4_K_M",
        "Q4_K_M, Q4_K_M",
        "iq2_xxs, IQ2_XXS",
        "Q4_0-pure, Q4_0-pure",
        "gguf-f16, gguf-f16",
        "gguf-bf16, gguf-bf16",
        "GGUF-Q8_0, Q8_0",
        "tq1_0, TQ1_0",
        "int4-g128, gptq-4bit-g128",
        "int4, gptq-4bit-g128",
        "int3-g64, gptq-3bit-g64",
        "int2-g128, gptq-2bit-g128",
        "gptq-4bit-g128, gptq-4bit-g128",
        "gptq, gptq-4bit-g128",
        "gptq-4bit-128g-actorder, gptq-4bit-g128-actorder",
        "gptq-8bit-perchannel, gptq-8bit-perchannel",
        "GPTQ-int4-g32-desc_act, gptq-4bit-g32-actorder",
        "awq, awq-4bit-g128",
        "awq-4bit-g64, awq-4bit-g64",
        "nf4, nf4",
        "nf4-dq, nf4-dq",
        "bnb-4bit, nf4",
        "fp8, fp8",
        "fp8-e5m2, fp8-e5m2",
        "fp8-channel, fp8-channel",
        "fp8-block128, fp8-block128",
        "fp8-e5m2-channel, fp8-e5m2-channel",
        "int8, int8",
        "llm.int8, llm.int8",
        "mxfp4, mxfp4",
        "bf16, bf16",
        "fp16, fp16",
        "f32, fp32",
        "  BF16 , bf16",
    })
    void parsesWhatUsersType(String typed, String label) {
        assertThat(PrecisionFormats.parse(typed).label()).isEqualTo(label);
    }

    @Test
    void parsedFormatsCarryTheirFacts() {
        assertThat(PrecisionFormats.parse("q4_k_m")).isEqualTo(new GgufFormat(LlamaFileType.Q4_K_M, false));
        assertThat(PrecisionFormats.parse("bf16")).isEqualTo(new PlainFormat(DType.BF16));
        assertThat(PrecisionFormats.parse("fp8-e5m2"))
                .isEqualTo(new Fp8Weights(DType.F8_E5M2, Fp8Weights.Scaling.PER_TENSOR));
        assertThat(PrecisionFormats.parse("awq"))
                .isEqualTo(new GroupQuantFormat(GroupQuantFormat.Packing.AWQ, 4, 128, false));
        assertThat(PrecisionFormats.parse("nf4-dq")).isEqualTo(new Nf4Format(true));
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        assertThatThrownBy(() -> PrecisionFormats.parse("q4_k_x"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown precision format 'q4_k_x'")
                .hasMessageContaining("gptq-4bit-g128")
                .hasMessageContaining("nf4-dq")
                .hasMessageContaining("Q4_K_M")
                .hasMessageContaining("IQ1_M")
                .hasMessageContaining("mxfp4");
        assertThatThrownBy(() -> PrecisionFormats.parse("")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> PrecisionFormats.parse("gptq-4bit-g99999999999"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> PrecisionFormats.parse("awq-3bit"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("AWQ packs 4 bits");
        assertThatThrownBy(() -> PrecisionFormats.parse("int4-g128-fast")).isInstanceOf(InvalidInputException.class);
        // Only dashes: split("-") gives no parts (an ArrayIndexOutOfBoundsException before, found by the http fuzz
        // target from "dtypes=bf16,\r\n\r-", crash-69c51f...).
        for (String dashes : new String[] {"-", "--", " - "}) {
            assertThatThrownBy(() -> PrecisionFormats.parse(dashes))
                    .as(dashes)
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("unknown precision format");
        }
    }

    @Test
    void everyKnownNameParsesToAFormatWithThatLabelOrItsCanonicalForm() {
        for (String name : PrecisionFormats.knownNames()) {
            PrecisionFormat f = PrecisionFormats.parse(name);
            assertThat(PrecisionFormats.parse(f.label())).as(name).isEqualTo(f); // labels parse back to themselves
        }
        assertThat(PrecisionFormats.knownNames()).contains("Q4_K_M", "gguf-f16", "nf4-dq", "mxfp4");
    }

    @Test
    void everyLlamaFileTypeParsesByItsName() {
        for (LlamaFileType t : LlamaFileType.values()) {
            String typed = t.isQuantized() ? t.displayName().toLowerCase() : "gguf-" + t.displayName();
            assertThat(PrecisionFormats.parse(typed)).isEqualTo(new GgufFormat(t, false));
        }
    }
}
