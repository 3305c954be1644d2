package dev.heft.core.quant;

import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.testing.SharedFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tensor bytes of the llama.cpp fixtures, located through gguf-py's expected.json (data_offset + tensor offset,
 * n_bytes), so these kernel tests do not depend on heft's own GGUF reader.
 */
final class GgufFixtureTensors {
    static final JsonObject EXPECTED = SharedFixtures.json(SharedFixtures.fixture("gguf/expected.json"));

    record Info(
            String file, String name, String ggmlType, long[] ggmlShape, long offset, long nBytes, JsonObject entry) {
        long rowLength() {
            return ggmlShape[0];
        }

        long elements() {
            long n = 1;
            for (long d : ggmlShape) {
                n *= d;
            }
            return n;
        }
    }

    private GgufFixtureTensors() {}

    static JsonObject file(String file) {
        return EXPECTED.getObject("files").orElseThrow().getObject(file).orElseThrow();
    }

    static List<Info> tensors(String file) {
        JsonObject f = file(file);
        long dataOffset = f.getLong("data_offset", -1);
        List<Info> out = new ArrayList<>();
        for (JsonValue v : f.getArray("tensors").orElseThrow().elements()) {
            JsonObject t = (JsonObject) v;
            JsonValue.JsonArray shape = t.getArray("shape").orElseThrow();
            long[] ne = new long[shape.size()];
            for (int i = 0; i < ne.length; i++) {
                ne[i] = ((JsonValue.JsonNumber) shape.get(i)).longValueExact("shape");
            }
            out.add(new Info(
                    file,
                    t.getString("name", null),
                    t.getString("ggml_type", null),
                    ne,
                    dataOffset + t.getLong("offset", -1),
                    t.getLong("n_bytes", -1),
                    t));
        }
        return out;
    }

    static Info tensor(String file, String name) {
        return tensors(file).stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    static byte[] raw(Info t) {
        Path p = SharedFixtures.fixture("gguf/" + t.file());
        try (var ch = Files.newByteChannel(p)) {
            ch.position(t.offset());
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(t.nBytes()));
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // keep reading
            }
            return buf.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The F32 source tensor of the same name, as floats. */
    static float[] source(String sourceFile, String name) {
        Info t = tensor(sourceFile, name);
        if (!t.ggmlType().equals("F32")) {
            throw new IllegalStateException(name + " in " + sourceFile + " is " + t.ggmlType());
        }
        byte[] b = raw(t);
        float[] out = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    static double relDiff(double a, double b) {
        return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
    }
}
