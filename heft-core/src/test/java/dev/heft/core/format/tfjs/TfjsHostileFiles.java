package dev.heft.core.format.tfjs;

import static dev.heft.core.testing.HostileCase.Expected.READ;
import static dev.heft.core.testing.HostileCase.Expected.REFUSED;

import dev.heft.core.format.gguf.GgufHostileFiles;
import dev.heft.core.json.JsonWriter;
import dev.heft.core.testing.HostileCase;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hostile TF.js models for the shared corpus: {@code model.json} manifests in tfjs-core's {@code ModelJSON} shape
 * ({@code weightsManifest: [{paths, weights: [{name, shape, dtype}]}]}) written with {@link JsonWriter}, beside shard
 * files (sparse where they are large, so the corpus stays small on disk).
 */
public final class TfjsHostileFiles {
    private TfjsHostileFiles() {}

    public static List<HostileCase> cases() {
        List<HostileCase> cases = new ArrayList<>();
        cases.add(new HostileCase(
                "tfjs-repeated-shard", "one 1 GiB shard listed three times in a group's paths", REFUSED, dir -> {
                    Path model = Files.createDirectories(dir.resolve("model"));
                    try (RandomAccessFile big =
                            new RandomAccessFile(model.resolve("big.bin").toFile(), "rw")) {
                        big.setLength(1L << 30); // sparse: no disk blocks
                    }
                    return manifest(model, List.of("big.bin", "big.bin", "big.bin"), List.of("w"), new long[] {4});
                }));
        cases.add(paths("tfjs-shard-dotdot", "a shard path ../secret.bin", "../secret.bin", false));
        cases.add(paths("tfjs-shard-absolute", "an absolute shard path", "/etc/passwd", false));
        cases.add(paths(
                "tfjs-shard-symlink-out",
                "a shard that is a symlink to a file outside the model's folder",
                "group1-shard1of1.bin",
                true));
        cases.add(new HostileCase(
                "tfjs-control-names", "weight names holding ESC, BEL, LF, NUL and a bidi override", READ, dir -> {
                    Path model = Files.createDirectories(dir.resolve("model"));
                    Files.write(
                            model.resolve("group1-shard1of1.bin"),
                            new byte[16 * GgufHostileFiles.CONTROL_NAMES.size()]);
                    return manifest(
                            model, List.of("group1-shard1of1.bin"), GgufHostileFiles.CONTROL_NAMES, new long[] {4});
                }));
        return cases;
    }

    private static HostileCase paths(String id, String claim, String path, boolean link) {
        return new HostileCase(id, claim, REFUSED, dir -> {
            Path model = Files.createDirectories(dir.resolve("model"));
            Path secret = Files.write(dir.resolve("secret.bin"), new byte[64]);
            if (link) {
                Files.createSymbolicLink(model.resolve(path), secret);
            }
            return manifest(model, List.of(path), List.of("w"), new long[] {4});
        });
    }

    /** A layers-model manifest: one group, these paths, float32 weights of {@code shape} named {@code names}. */
    static Path manifest(Path model, List<String> paths, List<String> names, long[] shape) throws java.io.IOException {
        List<Object> weights = new ArrayList<>();
        for (String name : names) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("name", name);
            w.put("shape", shape);
            w.put("dtype", "float32");
            weights.add(w);
        }
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("paths", paths);
        group.put("weights", weights);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", "layers-model");
        root.put("weightsManifest", List.of(group));
        return Files.writeString(model.resolve("model.json"), JsonWriter.write(root));
    }
}
