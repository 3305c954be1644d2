package dev.heft.core.format.onnx;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.CorruptModelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Assertions shared by the hostile-input tests. */
final class HostileInputs {
    private HostileInputs() {}

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            Path p = dir.resolve(name);
            Files.write(p, bytes);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reading {@code model} fails with a CorruptModelException naming the file and containing {@code problem}. */
    static CorruptModelException assertCorrupt(Path dir, byte[] model, String problem) {
        Path p = write(dir, "hostile.onnx", model);
        CorruptModelException[] caught = new CorruptModelException[1];
        assertThatThrownBy(() -> new OnnxReader().read(p))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining(p.toString())
                .hasMessageContaining(problem)
                .satisfies(e -> caught[0] = (CorruptModelException) e);
        return caught[0];
    }
}
