package dev.heft.core.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LlamaFileTypeTest {

    @Test
    void idsMatchTheFixturesGeneralFileType() {
        // general.file_type values written by llama-quantize (shared/fixtures/gguf/expected.json metadata).
        for (String[] pair : new String[][] {
            {"tiny-llama-F32.gguf", "F32"},
            {"tiny-llama-F16.gguf", "F16"},
            {"tiny-llama-Q4_0.gguf", "Q4_0"},
            {"tiny-llama-Q4_1.gguf", "Q4_1"},
            {"tiny-llama-Q8_0.gguf", "Q8_0"},
            {"tiny-llama-Q2_K.gguf", "Q2_K"},
            {"tiny-llama-Q4_K_M.gguf", "Q4_K_M"},
            {"tiny-llama-Q5_K_M.gguf", "Q5_K_M"},
            {"tiny-llama-Q6_K.gguf", "Q6_K"},
            {"tiny-llama-IQ4_NL.gguf", "IQ4_NL"},
            {"tiny-llama-BF16.gguf", "BF16"}
        }) {
            long id = (Long) GgufFixturePlans.metadata(pair[0]).get("general.file_type");
            assertThat(LlamaFileType.fromId(id)).as(pair[0]).contains(LlamaFileType.valueOf(pair[1]));
        }
    }

    @Test
    void idsAreUniqueAndRemovedOnesAbsent() {
        Set<Integer> ids = new HashSet<>();
        for (LlamaFileType t : LlamaFileType.values()) {
            assertThat(ids.add(t.id())).as(t.name()).isTrue();
        }
        for (int removed : new int[] {4, 5, 6, 33, 34, 35}) {
            assertThat(LlamaFileType.fromId(removed)).isEmpty();
        }
    }
}
