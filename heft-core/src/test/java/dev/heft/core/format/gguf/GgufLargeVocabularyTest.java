package dev.heft.core.format.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.tensor.TensorInventory.MetadataArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 150,000-token vocabulary is walked and validated but summarised, not kept: the metadata holds its length and first
 * eight tokens, and reading it is fast (the JMH figure is in heft-bench's GgufReadBenchmark; this only guards against a
 * pathological slowdown, with a bound loose enough for a loaded CI machine).
 */
class GgufLargeVocabularyTest {

    @Test
    void longStringArrayIsSummarisedAndFast(@TempDir Path dir) throws IOException {
        int vocab = 150_000;
        List<String> tokens = new ArrayList<>(vocab);
        for (int i = 0; i < vocab; i++) {
            tokens.add((i % 3 == 0 ? "\u0120" : "") + "tok" + i);
        }
        Path p = dir.resolve("vocab.gguf");
        new GgufWriter()
                .put("tokenizer.ggml.tokens", GgufValue.strings(tokens))
                .put("tokenizer.ggml.scores", GgufValue.floats(new float[vocab]))
                .write(p);

        GgufReader.readFile(p); // warm up class loading and the JIT a little
        long best = Long.MAX_VALUE;
        GgufFile f = null;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            f = GgufReader.readFile(p);
            best = Math.min(best, System.nanoTime() - t0);
        }
        MetadataArray a = (MetadataArray) f.metadata().get("tokenizer.ggml.tokens");
        assertThat(a.length()).isEqualTo(vocab);
        assertThat(a.head()).containsExactlyElementsOf(tokens.subList(0, 8));
        assertThat(((MetadataArray) f.metadata().get("tokenizer.ggml.scores")).length())
                .isEqualTo(vocab);
        assertThat(best / 1_000_000).as("best of 5 reads, ms").isLessThan(1_000);
    }
}
