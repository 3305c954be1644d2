package dev.heft.core.format.pytorch;

import static dev.heft.core.testing.HostileCase.Expected.READ;
import static dev.heft.core.testing.HostileCase.Expected.REFUSED;

import dev.heft.core.format.gguf.GgufHostileFiles;
import dev.heft.core.testing.HostileCase;
import dev.heft.core.testing.PickleWriter;
import dev.heft.core.testing.TestZipWriter;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Hostile PyTorch checkpoints for the shared corpus: torch-shaped zips (PyTorchStreamWriter's layout, written by
 * {@link TestZipWriter}) around pickles written by {@link PickleWriter} with the opcodes of CPython's
 * Lib/pickletools.py. The bombs are what an attacker would send: a few KB of deflated pickle that builds millions of
 * values, a memo filled to millions of slots, a directory entry declaring sizes the data does not have.
 */
public final class PyTorchHostileFiles {
    private PyTorchHostileFiles() {}

    public static List<HostileCase> cases() {
        List<HostileCase> cases = new ArrayList<>();
        byte[] small = new PickleWriter().proto(2).emptyDict().stop().toBytes();
        cases.add(zip(
                "pt-pickle-declares-200MiB",
                "a 136-byte-class .pt whose deflated data.pkl declares 200 MiB",
                patchSizes(
                        new TestZipWriter().deflated("archive/data.pkl", small).finish(),
                        "archive/data.pkl",
                        -1,
                        200L << 20)));
        cases.add(zip(
                "pt-10M-dicts",
                "a deflated data.pkl that appends 10 million empty dicts to a list",
                new TestZipWriter()
                        .deflated("archive/data.pkl", repeat("]", "}a", 10_000_000))
                        .finish()));
        cases.add(zip(
                "pt-50M-values",
                "a deflated data.pkl that pushes and pops 50 million Nones",
                new TestZipWriter()
                        .deflated("archive/data.pkl", repeat("", "N0", 50_000_000))
                        .finish()));
        cases.add(zip(
                "pt-memo-bomb",
                "a deflated data.pkl that stores one dict in 4.5 million memo slots",
                new TestZipWriter()
                        .deflated("archive/data.pkl", memoBomb(4_500_000))
                        .finish()));
        cases.add(zip(
                "pt-stride0-views",
                "three uint8 views of shape [2^31, 2^31] and stride [0, 0] over one "
                        + "byte (as expand() saves them): 2^62 elements each",
                strideZero()));
        cases.add(zip(
                "pt-zip-terabytes",
                "a storage entry whose zip64 sizes claim 1 TiB",
                patchSizes(
                        torchZip(
                                new PickleWriter()
                                        .proto(2)
                                        .emptyDict()
                                        .str("w")
                                        .tensor("FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1})
                                        .setItem()
                                        .stop()
                                        .toBytes(),
                                true),
                        "archive/data/0",
                        1L << 40,
                        1L << 40)));
        cases.add(new HostileCase(
                "pt-control-names", "state_dict keys holding ESC, BEL, LF, NUL and a bidi override", READ, dir -> {
                    PickleWriter p = new PickleWriter().proto(2).emptyDict();
                    int i = 0;
                    for (String name : GgufHostileFiles.CONTROL_NAMES) {
                        p.str(name)
                                .tensor("FloatStorage", Integer.toString(i), 4, 0, new long[] {4}, new long[] {1})
                                .setItem();
                        i++;
                    }
                    TestZipWriter z = new TestZipWriter()
                            .stored("archive/data.pkl", p.stop().toBytes());
                    for (int s = 0; s < i; s++) {
                        z.stored("archive/data/" + s, new byte[16]);
                    }
                    z.stored("archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII))
                            .stored("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
                    return Files.write(dir.resolve("control-names.pt"), z.finish());
                }));
        return cases;
    }

    /** {@code prefix}, {@code unit} {@code times} times, then STOP ({@code '.'}); after PROTO 2. */
    static byte[] repeat(String prefix, String unit, int times) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(prefix.length() + unit.length() * times + 3);
        out.writeBytes(new byte[] {(byte) 0x80, 2});
        out.writeBytes(prefix.getBytes(StandardCharsets.US_ASCII));
        byte[] u = unit.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < times; i++) {
            out.write(u, 0, u.length);
        }
        out.write('N'); // something for STOP to return when the prefix pushed nothing
        out.write('.');
        return out.toByteArray();
    }

    /** EMPTY_DICT, then LONG_BINPUT to slots 0 .. slots-1 (pickletools: 'r' + uint32 index), then STOP. */
    static byte[] memoBomb(int slots) {
        ByteBuffer b = ByteBuffer.allocate(4 + 5 * slots).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x80).put((byte) 2).put((byte) '}');
        for (int i = 0; i < slots; i++) {
            b.put((byte) 'r').putInt(i);
        }
        b.put((byte) '.');
        return b.array();
    }

    private static byte[] strideZero() {
        PickleWriter p = new PickleWriter().proto(2).emptyDict();
        for (int i = 0; i < 3; i++) {
            p.str("expanded." + i)
                    .tensor("ByteStorage", "0", 1, 0, new long[] {1L << 31, 1L << 31}, new long[] {0, 0})
                    .setItem();
        }
        return torchZip(p.stop().toBytes(), false, 1);
    }

    private static byte[] torchZip(byte[] pkl, boolean zip64) {
        return torchZip(pkl, zip64, 16);
    }

    private static byte[] torchZip(byte[] pkl, boolean zip64, int storageBytes) {
        TestZipWriter z = new TestZipWriter();
        if (zip64) {
            z.forceZip64();
        }
        return z.stored("archive/data.pkl", pkl)
                .stored("archive/data/0", new byte[storageBytes])
                .stored("archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII))
                .stored("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII))
                .finish();
    }

    /**
     * Rewrites the sizes of {@code name}'s central directory entry (APPNOTE 4.3.12: compressed size at offset 20,
     * uncompressed at 24; in the zip64 extra field 0x0001 when those hold 0xFFFFFFFF). A size of -1 is left alone.
     */
    static byte[] patchSizes(byte[] zip, String name, long compressed, long uncompressed) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at + 46 <= zip.length; at++) {
            if (b.getInt(at) != 0x02014b50
                    || (b.getShort(at + 28) & 0xffff) != n.length
                    || !new String(zip, at + 46, n.length, StandardCharsets.UTF_8).equals(name)) {
                continue;
            }
            boolean zip64 = (b.getInt(at + 24) & 0xffffffffL) == 0xffffffffL;
            if (!zip64) {
                if (compressed >= 0) {
                    b.putInt(at + 20, (int) compressed);
                }
                b.putInt(at + 24, (int) uncompressed);
                return zip;
            }
            int extra = at + 46 + n.length;
            int extraEnd = extra + (b.getShort(at + 30) & 0xffff);
            while (extra + 4 <= extraEnd) {
                int id = b.getShort(extra) & 0xffff;
                int size = b.getShort(extra + 2) & 0xffff;
                if (id == 0x0001) {
                    b.putLong(extra + 4, uncompressed);
                    if (compressed >= 0) {
                        b.putLong(extra + 12, compressed);
                    }
                    return zip;
                }
                extra += 4 + size;
            }
        }
        throw new IllegalArgumentException("no central directory entry " + name);
    }

    private static HostileCase zip(String id, String claim, byte[] bytes) {
        return new HostileCase(id, claim, REFUSED, dir -> Files.write(dir.resolve(id + ".pt"), bytes));
    }
}
