package dev.heft.core.format.gguf;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Builds GGUF bytes field by field, including fields no valid file has (huge counts, bad lengths, misaligned
 * offsets), for the hostile-input tests. Valid files come from {@link GgufWriter}; this is the tool for the rest.
 */
final class RawGguf {
    private final GgufWriter.LittleEndianOut out = new GgufWriter.LittleEndianOut();

    /** Magic, version 3, and the two counts. */
    static RawGguf v3(long tensorCount, long kvCount) {
        RawGguf g = new RawGguf();
        g.bytes("GGUF".getBytes(StandardCharsets.US_ASCII))
                .u32(3)
                .u64(tensorCount)
                .u64(kvCount);
        return g;
    }

    RawGguf u8(int v) {
        out.u8(v);
        return this;
    }

    RawGguf u32(long v) {
        out.u32(v);
        return this;
    }

    RawGguf u64(long v) {
        out.u64(v);
        return this;
    }

    RawGguf bytes(byte[] b) {
        out.bytes(b);
        return this;
    }

    /** A v2+ string: uint64 length, then the UTF-8 bytes. */
    RawGguf str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return u64(b.length).bytes(b);
    }

    /** A KV holding a uint32. */
    RawGguf kvU32(String key, long v) {
        return str(key).u32(GgufValueType.UINT32.id()).u32(v);
    }

    RawGguf kvString(String key, String v) {
        return str(key).u32(GgufValueType.STRING.id()).str(v);
    }

    /** A tensor info: name, n_dims, ne[], ggml type id, relative offset. */
    RawGguf tensor(String name, long[] ne, long typeId, long offset) {
        str(name).u32(ne.length);
        for (long d : ne) {
            u64(d);
        }
        return u32(typeId).u64(offset);
    }

    RawGguf padTo(long alignment) {
        long n = out.size();
        out.zeros((alignment - n % alignment) % alignment);
        return this;
    }

    RawGguf zeros(long n) {
        out.zeros(n);
        return this;
    }

    long size() {
        return out.size();
    }

    byte[] toBytes() {
        return out.toByteArray();
    }

    MemorySegment segment() {
        return MemorySegment.ofArray(toBytes());
    }
}
