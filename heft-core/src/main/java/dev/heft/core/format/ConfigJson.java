package dev.heft.core.format;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.format.safetensors.JsonText;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.tensor.TensorInventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one policy for a Hugging Face {@code config.json} that sits beside weights (in a folder, an HF cache snapshot,
 * a Hub repo): at most {@value #MAX_BYTES} bytes, strict UTF-8 JSON, a JSON object. A config that breaks the policy
 * is an error that names it, never silently dropped: a count made without the config a user put there would answer
 * a different question. Absent is fine.
 */
public final class ConfigJson {
    /** transformers' {@code CONFIG_NAME}. */
    public static final String NAME = "config.json";
    /** Real configs are a few KiB (the largest, with long label maps, a few hundred KiB); this bounds a hostile one. */
    public static final long MAX_BYTES = 16L << 20;

    private ConfigJson() {}

    /** {@code folder/config.json} when it is a file; empty when there is none. */
    public static Optional<JsonObject> beside(Path folder) throws IOException {
        if (folder == null) {
            return Optional.empty();
        }
        Path config = folder.resolve(NAME);
        return Files.isRegularFile(config) ? Optional.of(read(config)) : Optional.empty();
    }

    /** Reads and checks {@code file}, a config.json that must exist. */
    public static JsonObject read(Path file) throws IOException {
        long size = Files.size(file);
        checkSize(file, size);
        return parse(file, Files.readAllBytes(file));
    }

    /** Refuses a config whose size (from a listing, or a file) is over the limit, before it is read. */
    public static void checkSize(Path label, long size) {
        if (size > MAX_BYTES) {
            throw new CorruptModelException(
                    label,
                    0,
                    "config.json of " + size + " bytes is larger than the " + MAX_BYTES + "-byte limit heft reads");
        }
    }

    /** Checks bytes read from anywhere (a file, an HTTP answer); {@code label} names them in errors. */
    public static JsonObject parse(Path label, byte[] bytes) {
        checkSize(label, bytes.length);
        JsonValue parsed = JsonText.parse(label, 0, bytes, "config.json");
        if (!(parsed instanceof JsonObject object)) {
            throw new CorruptModelException(label, 0, "config.json must be a JSON object, found " + parsed.typeName());
        }
        return object;
    }

    /** {@code inventory} with {@code folder/config.json} attached, unless it already carries a config. */
    public static TensorInventory attach(TensorInventory inventory, Path folder) throws IOException {
        if (inventory.config().isPresent()) {
            return inventory;
        }
        Optional<JsonObject> config = beside(folder);
        return config.isPresent() ? inventory.withConfig(config.get()) : inventory;
    }
}
