package dev.heft.core.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A small zip writer for tests (PKWARE APPNOTE 6.3: local headers, central directory, EOCD), able to write what
 * {@code java.util.zip.ZipOutputStream} will not: torch's 64-byte data alignment through local extra-field padding,
 * forced zip64 records and extra fields on small archives, and hostile entries (traversal names, lying sizes).
 */
public final class TestZipWriter {
    private record Entry(String name, int method, byte[] stored, long uncompressed, long crc, long localOffset) {}

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Entry> entries = new ArrayList<>();
    private boolean zip64;
    private int align = 64;

    /** Write zip64 end records and zip64 extra fields (with 0xFFFFFFFF in the 32-bit fields) for every entry. */
    public TestZipWriter forceZip64() {
        this.zip64 = true;
        return this;
    }

    public TestZipWriter align(int alignment) {
        this.align = alignment;
        return this;
    }

    public TestZipWriter stored(String name, byte[] data) {
        return add(name, 0, data, data);
    }

    public TestZipWriter deflated(String name, byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!d.finished()) {
            b.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return add(name, 8, b.toByteArray(), data);
    }

    private TestZipWriter add(String name, int method, byte[] payload, byte[] original) {
        CRC32 crc = new CRC32();
        crc.update(original);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        long localOffset = out.size();
        int base = 30 + n.length;
        // torch (PyTorchStreamWriter) pads the local extra field with a "FB" block so data starts 64-byte aligned
        int pad = 0;
        if (align > 1) {
            pad = (int) ((align - (localOffset + base + 4) % align) % align);
        }
        le(0x04034b50, 4)
                .le(zip64 ? 45 : 20, 2)
                .le(0x0800, 2)
                .le(method, 2)
                .le(0, 4)
                .le(crc.getValue(), 4)
                .le(payload.length, 4)
                .le(original.length, 4)
                .le(n.length, 2)
                .le(align > 1 ? 4 + pad : 0, 2);
        out.writeBytes(n);
        if (align > 1) {
            le(0x4246, 2).le(pad, 2);
            out.writeBytes(new byte[pad]);
        }
        out.writeBytes(payload);
        entries.add(new Entry(name, method, payload, original.length, crc.getValue(), localOffset));
        return this;
    }

    public byte[] finish() {
        long cdStart = out.size();
        for (Entry e : entries) {
            byte[] n = e.name.getBytes(StandardCharsets.UTF_8);
            long csize = zip64 ? 0xffffffffL : e.stored.length;
            long usize = zip64 ? 0xffffffffL : e.uncompressed;
            long off = zip64 ? 0xffffffffL : e.localOffset;
            le(0x02014b50, 4)
                    .le(zip64 ? 45 : 20, 2)
                    .le(zip64 ? 45 : 20, 2)
                    .le(0x0800, 2)
                    .le(e.method, 2)
                    .le(0, 4)
                    .le(e.crc, 4)
                    .le(csize, 4)
                    .le(usize, 4)
                    .le(n.length, 2)
                    .le(zip64 ? 28 : 0, 2)
                    .le(0, 2)
                    .le(0, 2)
                    .le(0, 2)
                    .le(0, 4)
                    .le(off, 4);
            out.writeBytes(n);
            if (zip64) {
                le(0x0001, 2)
                        .le(24, 2)
                        .le(e.uncompressed, 8)
                        .le(e.stored.length, 8)
                        .le(e.localOffset, 8);
            }
        }
        long cdSize = out.size() - cdStart;
        if (zip64) {
            long z64 = out.size();
            le(0x06064b50, 4)
                    .le(44, 8)
                    .le(45, 2)
                    .le(45, 2)
                    .le(0, 4)
                    .le(0, 4)
                    .le(entries.size(), 8)
                    .le(entries.size(), 8)
                    .le(cdSize, 8)
                    .le(cdStart, 8);
            le(0x07064b50, 4).le(0, 4).le(z64, 8).le(1, 4);
            le(0x06054b50, 4)
                    .le(0, 2)
                    .le(0, 2)
                    .le(0xffff, 2)
                    .le(0xffff, 2)
                    .le(0xffffffffL, 4)
                    .le(0xffffffffL, 4)
                    .le(0, 2);
        } else {
            le(0x06054b50, 4)
                    .le(0, 2)
                    .le(0, 2)
                    .le(entries.size(), 2)
                    .le(entries.size(), 2)
                    .le(cdSize, 4)
                    .le(cdStart, 4)
                    .le(0, 2);
        }
        return out.toByteArray();
    }

    private TestZipWriter le(long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
        return this;
    }
}
