package dev.heft.core.format.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed fuzz seeds are exactly what {@link OnnxSeedCorpus} writes, and each is a readable model. */
class OnnxSeedCorpusTest {
    static final Path CORPUS =
            Path.of("src/test/resources/dev/heft/core/format/onnx/OnnxReaderFuzzTestInputs/fuzzReader");

    @Test
    void committedSeedsMatchTheGenerator() throws Exception {
        for (Map.Entry<String, byte[]> e : OnnxSeedCorpus.seeds().entrySet()) {
            assertThat(Files.readAllBytes(CORPUS.resolve(e.getKey())))
                    .as(e.getKey())
                    .isEqualTo(e.getValue());
        }
    }
}
