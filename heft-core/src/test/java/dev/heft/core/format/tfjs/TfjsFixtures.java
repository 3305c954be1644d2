package dev.heft.core.format.tfjs;

import dev.heft.core.json.JsonWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes TF.js layers-model fixtures the way tfjs-converter lays them out: a model.json whose weightsManifest groups
 * list shard files and weights; each group's weight bytes concatenated in manifest order and cut into shards of at
 * most {@code shardBytes}. Weight bytes are a per-weight pattern so tests can check offsets point at them.
 *
 * <p>The default model: Dense(5 -> 4) + BatchNormalization(4) as float32, then Dense(4 -> 3) quantized to uint8
 * (kernel) and float16 (bias), plus one int32 constant, in two groups; group 0 is cut at 32 bytes so the 80-byte
 * kernel spans three shards.
 */
final class TfjsFixtures {
    private TfjsFixtures() {}

    record W(String name, long[] shape, String dtype, String quantization, int bytesPerElement) {
        long bytes() {
            long n = bytesPerElement;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    static W f32(String name, long... shape) {
        return new W(name, shape, "float32", null, 4);
    }

    static W quantized(String name, String qdtype, int bytes, long... shape) {
        return new W(name, shape, "float32", qdtype, bytes);
    }

    static List<List<W>> defaultGroups() {
        return List.of(
                List.of(
                        f32("dense/kernel", 5, 4),
                        f32("dense/bias", 4),
                        f32("bn/gamma", 4),
                        f32("bn/beta", 4),
                        f32("bn/moving_mean", 4),
                        f32("bn/moving_variance", 4)),
                List.of(
                        quantized("dense_1/kernel", "uint8", 1, 4, 3),
                        quantized("dense_1/bias", "float16", 2, 3),
                        new W("shape_const", new long[] {2}, "int32", null, 4)));
    }

    /** Deterministic bytes for weight number {@code index}. */
    static byte pattern(int index, long i) {
        return (byte) (index * 37 + i);
    }

    /** Writes model.json and shards into {@code dir}; returns model.json. */
    static Path write(Path dir, List<List<W>> groups, int shardBytes) throws IOException {
        List<Object> manifest = new ArrayList<>();
        int weightIndex = 0;
        for (int g = 0; g < groups.size(); g++) {
            java.io.ByteArrayOutputStream concat = new java.io.ByteArrayOutputStream();
            List<Object> weights = new ArrayList<>();
            for (W w : groups.get(g)) {
                for (long i = 0; i < w.bytes(); i++) {
                    concat.write(pattern(weightIndex, i));
                }
                weightIndex++;
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", w.name());
                List<Object> shape = new ArrayList<>();
                for (long d : w.shape()) {
                    shape.add(d);
                }
                entry.put("shape", shape);
                entry.put("dtype", w.dtype());
                if (w.quantization() != null) {
                    Map<String, Object> q = new LinkedHashMap<>();
                    q.put("dtype", w.quantization());
                    if (!w.quantization().equals("float16")) {
                        q.put("scale", 0.01);
                        q.put("min", -1.0);
                    }
                    q.put("original_dtype", "float32");
                    entry.put("quantization", q);
                }
                weights.add(entry);
            }
            byte[] all = concat.toByteArray();
            int shards = Math.max(1, (all.length + shardBytes - 1) / shardBytes);
            List<Object> paths = new ArrayList<>();
            for (int s = 0; s < shards; s++) {
                String name = "group" + (g + 1) + "-shard" + (s + 1) + "of" + shards + ".bin";
                int from = s * shardBytes;
                Files.write(
                        dir.resolve(name),
                        java.util.Arrays.copyOfRange(all, from, Math.min(all.length, from + shardBytes)));
                paths.add(name);
            }
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("paths", paths);
            group.put("weights", weights);
            manifest.add(group);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("format", "layers-model");
        model.put("generatedBy", "keras v2.15.0");
        model.put("convertedBy", "TensorFlow.js Converter v4.17.0");
        model.put("modelTopology", Map.of("class_name", "Sequential"));
        model.put("weightsManifest", manifest);
        return Files.writeString(dir.resolve("model.json"), JsonWriter.write(model));
    }
}
