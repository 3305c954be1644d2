package dev.heft.core.format.keras;

import static dev.heft.core.testing.HostileCase.Expected.READ;
import static dev.heft.core.testing.HostileCase.Expected.REFUSED;

import dev.heft.core.testing.HostileCase;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.checksum.ChecksumUtils;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipOutputStream;

/**
 * Hostile Keras files for the shared corpus: {@code .keras} zips (KerasFixtures' layout) around HDF5 written by jhdf's
 * writer. What no writer produces (datasets of 2^62 elements whose storage was never allocated, as an h5py file
 * holds for chunked datasets created but never written) is made by patching the dataspace dimensions and the
 * layout's data address (HDF5 File Format Specification IV.A.2.b, IV.A.2.i: "undefined address" is all ones) of a
 * generated file, located by their unique values.
 */
public final class KerasHostileFiles {
    private KerasHostileFiles() {}

    private static final int ROWS = 3, COLS = 5;

    public static List<HostileCase> cases() {
        List<HostileCase> cases = new ArrayList<>();
        cases.add(new HostileCase(
                "keras-deflated-zero-bomb",
                "a .keras whose DEFLATED model.weights.h5 is 64 MiB " + "of zeros in ~65 KB",
                REFUSED,
                dir -> keras(dir.resolve("bomb.keras"), new byte[64 << 20])));
        cases.add(new HostileCase(
                "keras-deflated-tail",
                "a .keras whose DEFLATED weights are a valid HDF5 file "
                        + "followed by 64 MiB of zeros (read without inflating it to disk)",
                READ,
                dir -> {
                    byte[] h5 = Files.readAllBytes(KerasFixtures.keras3Weights(dir.resolve("w.h5"), false));
                    Files.delete(dir.resolve("w.h5"));
                    return keras(dir.resolve("tail.keras"), java.util.Arrays.copyOf(h5, h5.length + (64 << 20)));
                }));
        cases.add(new HostileCase(
                "keras-never-written-3x2^62",
                "three int8 datasets of shape [2^31-1, 2^31-1] "
                        + "whose storage was never allocated: 2^62 elements each, no bytes",
                REFUSED,
                dir -> {
                    Path p = dir.resolve("never-written.weights.h5");
                    Files.write(p, neverWritten(dir));
                    return p;
                }));
        return cases;
    }

    /** Three int8 [3, 5] datasets, then dims patched to [2^31-1, 2^31-1] and data addresses to "undefined". */
    static byte[] neverWritten(Path dir) throws IOException {
        Path tmp = dir.resolve("tmp.h5");
        try (WritableHdfFile h5 = HdfFile.write(tmp)) {
            WritableGroup vars = h5.putGroup("layers").putGroup("dense").putGroup("vars");
            for (int i = 0; i < 3; i++) {
                byte[][] data = new byte[ROWS][COLS];
                data[0][0] = (byte) (i + 1);
                vars.putDataset(Integer.toString(i), data);
            }
        }
        List<Long> addresses = new ArrayList<>();
        try (HdfFile h5 = new HdfFile(tmp)) {
            for (int i = 0; i < 3; i++) {
                Dataset d = h5.getDatasetByPath("layers/dense/vars/" + i);
                addresses.add(((ContiguousDataset) d).getDataAddress());
            }
        }
        byte[] bytes = Files.readAllBytes(tmp);
        Files.delete(tmp);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int dims = 0;
        for (int at = 0; at + 16 <= bytes.length; at++) {
            if (b.getLong(at) == ROWS && b.getLong(at + 8) == COLS) {
                b.putLong(at, Integer.MAX_VALUE).putLong(at + 8, Integer.MAX_VALUE);
                dims++;
            }
        }
        int patched = 0;
        for (long address : addresses) {
            for (int at = 0; at + 16 <= bytes.length; at++) {
                // the contiguous layout: address, then size (ROWS x COLS bytes)
                if (b.getLong(at) == address && b.getLong(at + 8) == (long) ROWS * COLS) {
                    b.putLong(at, -1L);
                    patched++;
                    break;
                }
            }
        }
        if (dims < 3 || patched != 3) {
            throw new IllegalStateException(
                    "jhdf's layout changed: patched " + dims + " dataspaces, " + patched + " addresses");
        }
        resealObjectHeaders(bytes);
        return bytes;
    }

    /**
     * Recomputes the checksum of every version-2 object header (spec IV.A.1.b: "OHDR", version, flags, optional times
     * and attribute phase values, the size of chunk 0 in 1 &lt;&lt; (flags &amp; 3) bytes, the messages, then a Jenkins
     * lookup3 checksum of everything before it), so that only the patched fields differ from a valid file.
     */
    static void resealObjectHeaders(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + 8 <= bytes.length; at++) {
            if (bytes[at] != 'O' || bytes[at + 1] != 'H' || bytes[at + 2] != 'D' || bytes[at + 3] != 'R') {
                continue;
            }
            int flags = bytes[at + 5] & 0xff;
            int pos = at + 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
            int sizeBytes = 1 << (flags & 3);
            long chunk = 0;
            for (int i = 0; i < sizeBytes; i++) {
                chunk |= (long) (bytes[pos + i] & 0xff) << (8 * i);
            }
            int end = Math.toIntExact(pos + sizeBytes + chunk);
            b.putInt(end, ChecksumUtils.checksum(java.util.Arrays.copyOfRange(bytes, at, end)));
        }
    }

    private static Path keras(Path out, byte[] weights) throws IOException {
        try (OutputStream os = Files.newOutputStream(out);
                ZipOutputStream zip = new ZipOutputStream(os)) {
            KerasFixtures.entry(
                    zip, "metadata.json", "{\"keras_version\": \"3.6.0\"}".getBytes(StandardCharsets.UTF_8), false);
            KerasFixtures.entry(
                    zip, "config.json", KerasFixtures.CONFIG.formatted(true).getBytes(StandardCharsets.UTF_8), false);
            KerasFixtures.entry(zip, KerasReader.WEIGHTS_ENTRY, weights, false);
        }
        return out;
    }
}
