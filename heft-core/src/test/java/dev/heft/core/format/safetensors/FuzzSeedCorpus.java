package dev.heft.core.format.safetensors;

import static dev.heft.core.format.safetensors.SafetensorsWriter.Entry;
import static dev.heft.core.format.safetensors.SafetensorsWriter.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the seed corpus for {@link SafetensorsFuzzTest} (committed under src/test/resources; see the README there).
 * Run from heft-core: {@code java -cp target/test-classes:target/classes
 * dev.heft.core.format.safetensors.FuzzSeedCorpus src/test/resources/dev/heft/core/format/safetensors/SafetensorsFuzzTestInputs/headers}.
 */
public final class FuzzSeedCorpus {
    private FuzzSeedCorpus() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        for (Map.Entry<String, byte[]> seed : seeds().entrySet()) {
            Files.write(out.resolve(seed.getKey()), seed.getValue());
        }
    }

    /** File name to bytes, in a stable order. */
    static Map<String, byte[]> seeds() {
        Spec a = new Spec("model.embed_tokens.weight", "BF16", 4, 2);
        Spec b = new Spec("model.norm.weight", "F32", 2);
        Spec c = new Spec("mx.scales", "F8_E8M0", 3);
        Spec d = new Spec("mx.blocks", "F4", 2, 3);
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("valid-two-tensors", SafetensorsWriter.file(Map.of("format", "pt"), a, b));
        seeds.put("valid-subbyte", SafetensorsWriter.file(null, c, d, new Spec("f6", "F6_E3M2", 4)));
        seeds.put("valid-empty", SafetensorsWriter.file("{}", 0));
        seeds.put(
                "overlap",
                SafetensorsWriter.file(
                        SafetensorsWriter.header(
                                null,
                                List.of(
                                        Entry.of("a", "U8", new long[] {4}, 0, 4),
                                        Entry.of("b", "U8", new long[] {4}, 2, 6))),
                        6));
        seeds.put(
                "unknown-dtype",
                SafetensorsWriter.file(
                        SafetensorsWriter.header(null, List.of(Entry.of("a", "Q4", new long[] {4}, 0, 2))), 2));
        seeds.put("length-past-eof", SafetensorsWriter.raw(1 << 20, "{}".getBytes(StandardCharsets.US_ASCII), 0));
        return seeds;
    }
}
