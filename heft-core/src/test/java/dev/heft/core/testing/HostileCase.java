package dev.heft.core.testing;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One hostile input, written by generator code on demand (never committed bytes): a file, or a folder of files, that
 * an attacker could hand heft. Shared by the per-format regression tests, the bounded-memory test (the corpus run in a
 * JVM with a 64 MiB heap) and the CLI's "no stack traces anywhere" property.
 *
 * @param id       a stable, file-name-safe name ({@code gguf-array-2^40-strings} style)
 * @param claim    what the input claims, in words
 * @param expected how heft must answer it
 * @param writer   writes the input into an empty folder and returns the path to hand heft
 */
public record HostileCase(String id, String claim, Expected expected, Writer writer) {

    /** What a correct heft does with the input. */
    public enum Expected {
        /** A typed error ({@code dev.heft.core.error}): exit 1 on the command line, 400 over HTTP. */
        REFUSED,
        /** A valid file whose strings are hostile (control characters): read, and printed escaped. */
        READ
    }

    @FunctionalInterface
    public interface Writer {
        Path write(Path emptyFolder) throws IOException;
    }

    public Path write(Path emptyFolder) throws IOException {
        return writer.write(emptyFolder);
    }

    @Override
    public String toString() {
        return id;
    }
}
