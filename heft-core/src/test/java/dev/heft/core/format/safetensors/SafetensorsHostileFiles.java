package dev.heft.core.format.safetensors;

import static dev.heft.core.testing.HostileCase.Expected.READ;
import static dev.heft.core.testing.HostileCase.Expected.REFUSED;

import dev.heft.core.format.gguf.GgufHostileFiles;
import dev.heft.core.testing.HostileCase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hostile safetensors files and folders for the shared corpus, written with {@link SafetensorsWriter} (the format of
 * safetensors/src/tensor.rs: u64 header length N, N bytes of JSON, the data) and index files shaped as transformers'
 * {@code save_pretrained} writes them.
 */
public final class SafetensorsHostileFiles {
    private SafetensorsHostileFiles() {}

    public static List<HostileCase> cases() {
        List<HostileCase> cases = new ArrayList<>();
        cases.add(file(
                "st-header-length-2^63",
                "a header length of 2^63 - 1",
                SafetensorsWriter.raw(Long.MAX_VALUE, "{}".getBytes(StandardCharsets.UTF_8), 0)));
        cases.add(file(
                "st-header-beyond-file",
                "a 1,000,000-byte header in a 20-byte file",
                SafetensorsWriter.raw(1_000_000, "{\"a\":1}   ".getBytes(StandardCharsets.UTF_8), 0)));
        cases.add(file(
                "st-dims-overflow",
                "shape [2^32, 2^32, 2^32]: the element count overflows 64 bits",
                SafetensorsWriter.file(
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],"
                                + "\"data_offsets\":[0,4]}}",
                        4)));
        cases.add(file(
                "st-offsets-2^63",
                "data_offsets [0, 2^63 - 1]",
                SafetensorsWriter.file(
                        "{\"w\":{\"dtype\":\"U8\",\"shape\":[9223372036854775807],"
                                + "\"data_offsets\":[0,9223372036854775807]}}",
                        0)));
        cases.add(file(
                "st-name-1MiB",
                "a tensor name of 1 MiB",
                SafetensorsWriter.file(null, new SafetensorsWriter.Spec("n".repeat(1 << 20), "F32", 2))));
        cases.add(new HostileCase(
                "st-control-names",
                "tensor names and __metadata__ holding ESC, BEL, LF, NUL and " + "a bidi override",
                READ,
                dir -> {
                    List<SafetensorsWriter.Spec> specs = new ArrayList<>();
                    for (String name : GgufHostileFiles.CONTROL_NAMES) {
                        specs.add(new SafetensorsWriter.Spec(name, "F32", 4));
                    }
                    return Files.write(
                            dir.resolve("control-names.safetensors"),
                            SafetensorsWriter.file(
                                    Map.of("format", "pt\u001b]0;pwned\u0007"),
                                    specs.toArray(SafetensorsWriter.Spec[]::new)));
                }));
        cases.add(index("st-index-dotdot", "an index naming ../secret.safetensors", "../secret.safetensors", false));
        cases.add(index("st-index-absolute", "an index naming an absolute path", "/etc/passwd", false));
        cases.add(index(
                "st-index-symlink-out",
                "an index naming a shard that is a symlink to a file outside the " + "model's folder",
                "model-00001-of-00001.safetensors",
                true));
        return cases;
    }

    private static HostileCase index(String id, String claim, String shard, boolean link) {
        return new HostileCase(id, claim, REFUSED, dir -> {
            Path model = Files.createDirectories(dir.resolve("model"));
            Path secret = Files.write(
                    dir.resolve("secret.safetensors"),
                    SafetensorsWriter.file(null, new SafetensorsWriter.Spec("w", "F32", 4)));
            if (link) {
                Files.createSymbolicLink(model.resolve(shard), secret);
            }
            Files.writeString(
                    model.resolve(ShardIndex.STANDARD_NAME),
                    "{\"metadata\": {\"total_size\": 16}, " + "\"weight_map\": {\"w\": \"" + shard + "\"}}");
            return model;
        });
    }

    private static HostileCase file(String id, String claim, byte[] bytes) {
        return new HostileCase(id, claim, REFUSED, dir -> Files.write(dir.resolve(id + ".safetensors"), bytes));
    }
}
