package dev.heft.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.format.gguf.GgufReader;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.testing.SharedFixtures;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** inspect's GGUF type notes against what llama-quantize itself printed when it wrote the fixtures. */
class InspectServiceTest {
    private static final JsonObject EXPECTED = SharedFixtures.json(SharedFixtures.fixture("gguf/expected.json"));

    @Test
    void fallbackCountMatchesLlamaQuantizesWarning() throws Exception {
        String warning = EXPECTED.getObject("files")
                .orElseThrow()
                .getObject("tiny-odd-Q4_K_M.gguf")
                .orElseThrow()
                .getObject("llama_quantize")
                .orElseThrow()
                .getString("printed_fallback_warning", "");
        Matcher m = Pattern.compile("(\\d+) of (\\d+) tensor").matcher(warning);
        assertThat(m.find()).isTrue();
        List<String> notes = InspectService.ggufTypeNotes(
                new GgufReader().read(SharedFixtures.fixture("gguf/tiny-odd-Q4_K_M.gguf")));
        assertThat(notes)
                .singleElement()
                .asString()
                .contains("every tensor type is what llama-quantize's rules give")
                .contains(m.group(1) + " tensors needed fallback types");
    }

    @Test
    void filesWithoutFallbacksSaySoAndPureFilesAreFlaggedAsDifferent() throws Exception {
        assertThat(InspectService.ggufTypeNotes(
                        new GgufReader().read(SharedFixtures.fixture("gguf/tiny-llama-Q4_K_M.gguf"))))
                .singleElement()
                .asString()
                .doesNotContain("fallback");
        // --pure keeps output.weight at Q4_0 where the default rules give Q6_K (fixtures/gguf/README.md).
        assertThat(InspectService.ggufTypeNotes(
                        new GgufReader().read(SharedFixtures.fixture("gguf/tiny-llama-Q4_0-pure.gguf"))))
                .singleElement()
                .asString()
                .contains("1 tensors have other types");
    }
}
