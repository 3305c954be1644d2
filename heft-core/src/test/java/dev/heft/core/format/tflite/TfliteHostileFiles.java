package dev.heft.core.format.tflite;

import static dev.heft.core.testing.HostileCase.Expected.READ;
import static dev.heft.core.testing.HostileCase.Expected.REFUSED;

import dev.heft.core.format.gguf.GgufHostileFiles;
import dev.heft.core.format.tflite.FlatWriter.Table;
import dev.heft.core.testing.HostileCase;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hostile TFLite flatbuffers for the shared corpus, written front to back by {@link FlatWriter} in schema.fbs's
 * layout ({@link TfliteFixtures}); the ones no writer produces (a vector count past the end) patch a unique marker.
 */
public final class TfliteHostileFiles {
    private TfliteHostileFiles() {}

    /** A shape value that appears once in a model, so its vector's count (the 4 bytes before it) can be found. */
    private static final int MARKER = 123_456_789;

    public static List<HostileCase> cases() {
        List<HostileCase> cases = new ArrayList<>();
        int max = Integer.MAX_VALUE;
        cases.add(file(
                "tflite-f32-2^62-over-1-byte",
                "a FLOAT32 tensor of shape [2^31-1, 2^31-1] over a 1-byte " + "buffer",
                model(
                        List.of(TfliteFixtures.tensor("w", 0, 1, new int[] {max, max}, null)),
                        List.of(TfliteFixtures.buffer(null), TfliteFixtures.buffer(new byte[1])))));
        List<Table> sparse = new ArrayList<>();
        List<Table> buffers = new ArrayList<>(List.of(TfliteFixtures.buffer(null)));
        for (int i = 0; i < 3; i++) {
            sparse.add(TfliteFixtures.tensor("sparse" + i, 0, i + 1, new int[] {max, max}, null)
                    .ref(6, Table.of()));
            buffers.add(TfliteFixtures.buffer(new byte[4]));
        }
        cases.add(file(
                "tflite-sparse-3x2^62",
                "three sparse FLOAT32 tensors of dense shape [2^31-1, 2^31-1] with " + "4 stored bytes each",
                model(sparse, buffers)));
        byte[] marked = model(
                List.of(TfliteFixtures.tensor("w", 0, 1, new int[] {MARKER}, null)),
                List.of(TfliteFixtures.buffer(null), TfliteFixtures.buffer(new byte[4])));
        cases.add(file(
                "tflite-vector-past-end",
                "a shape vector whose count says 2^31-1 elements",
                patchCountBefore(marked, MARKER, max)));
        byte[] fixture = TfliteFixtures.model();
        cases.add(file(
                "tflite-truncated",
                "the fixture model cut in half: tables and vectors point past the end",
                Arrays.copyOf(fixture, fixture.length / 2)));
        cases.add(new HostileCase(
                "tflite-control-names",
                "tensor names holding ESC, BEL, LF, NUL and a bidi " + "override",
                READ,
                dir -> {
                    List<Table> tensors = new ArrayList<>();
                    List<Table> bufs = new ArrayList<>(List.of(TfliteFixtures.buffer(null)));
                    int b = 1;
                    for (String name : GgufHostileFiles.CONTROL_NAMES) {
                        tensors.add(TfliteFixtures.tensor(name, 0, b++, new int[] {2}, null));
                        bufs.add(TfliteFixtures.buffer(new byte[8]));
                    }
                    return Files.write(dir.resolve("control-names.tflite"), model(tensors, bufs));
                }));
        return cases;
    }

    private static byte[] model(List<Table> tensors, List<Table> buffers) {
        return FlatWriter.file("TFL3", TfliteFixtures.model(tensors, buffers, 3));
    }

    /** Replaces the uint32 just before the only occurrence of {@code value} with {@code count}. */
    static byte[] patchCountBefore(byte[] file, int value, int count) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 4; at + 4 <= file.length; at++) {
            if (b.getInt(at) == value) {
                b.putInt(at - 4, count);
                return file;
            }
        }
        throw new IllegalArgumentException("marker not found");
    }

    private static HostileCase file(String id, String claim, byte[] bytes) {
        return new HostileCase(id, claim, REFUSED, dir -> Files.write(dir.resolve(id + ".tflite"), bytes));
    }
}
