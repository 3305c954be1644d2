package dev.heft.core.testing;

import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates {@code ../shared} (real files written by llama.cpp, transformers, torch, onnxruntime, and ground truth from
 * the real libraries). The build passes its path as the system property {@code heft.shared}; a missing folder is a
 * test failure, never a silent skip, because these are the tests that prove heft exact.
 */
public final class SharedFixtures {
    private SharedFixtures() {}

    public static Path root() {
        String prop = System.getProperty("heft.shared");
        Path p = prop != null ? Path.of(prop) : Path.of("..", "..", "shared");
        if (!Files.isDirectory(p)) {
            p = Path.of("..", "shared");
        }
        if (!Files.isDirectory(p.resolve("fixtures"))) {
            throw new IllegalStateException(
                    "shared fixtures not found at " + p.toAbsolutePath() + " (set -Dheft.shared=/path/to/shared)");
        }
        return p.toAbsolutePath().normalize();
    }

    public static Path fixture(String relative) {
        Path p = root().resolve("fixtures").resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("missing shared fixture " + p);
        }
        return p;
    }

    public static Path groundTruth(String relative) {
        return root().resolve("ground-truth").resolve(relative);
    }

    public static JsonValue.JsonObject json(Path p) {
        try {
            return Json.parse(Files.readAllBytes(p)).asObject(p.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
