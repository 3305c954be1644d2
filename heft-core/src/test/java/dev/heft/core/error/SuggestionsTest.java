package dev.heft.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> NAMES = List.of("llama-3-8b", "llama-3-70b", "mistral-7b-v0.1", "gpt2");

    /** Both are one edit away (a digit changed, a digit added): equally close, in name order. */
    @Test
    void aTypoIsSuggestedClosestFirst() {
        assertThat(Suggestions.closest("llama-3-7b", NAMES, 3)).containsExactly("llama-3-70b", "llama-3-8b");
        assertThat(Suggestions.didYouMean("GTP2", NAMES)).isEqualTo(" (did you mean 'gpt2'?)");
    }

    /** A name is ruled out by length alone (a distance is at least the difference in length), but not by containment. */
    @Test
    void aLongTypedStringIsComparedByLengthFirstAndStillMatchesByContainment() {
        assertThat(Suggestions.closest("x".repeat(100_000), NAMES, 3)).isEmpty();
        assertThat(Suggestions.closest("my-gpt2-finetune-" + "x".repeat(10_000), NAMES, 3))
                .containsExactly("gpt2");
    }
}
