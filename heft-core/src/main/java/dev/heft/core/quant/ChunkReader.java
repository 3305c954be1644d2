package dev.heft.core.quant;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.tensor.DType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads a run of a tensor's elements from its file and converts them to floats: a positional read into the thread's
 * direct buffer, then F32/F16/BF16/F64 to float. Every pass of the scan reads its data through here, so the read
 * path (and its error on a file that shrank) is the same for all of them.
 */
final class ChunkReader {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private ChunkReader() {}

    /** Converts chunk {@code c} of the tensor to floats in {@code b.x}; returns its length. */
    static int load(TensorPlan p, int c, ChunkBuffers b) {
        int n = p.chunkLength(c);
        load(p, (long) c * p.chunkElements, n, b);
        return n;
    }

    /** Converts elements {@code [first, first + n)} of the tensor to floats in {@code b.x[0, n)}. */
    static void load(TensorPlan p, long first, int n, ChunkBuffers b) {
        convert(p, readRaw(p, first, n, b), 0, n, b);
    }

    /**
     * Reads elements {@code [first, first + n)} of the tensor as stored into the thread's direct buffer, for
     * {@link #convert} to turn into floats, in one go or piece by piece.
     */
    static MemorySegment readRaw(TensorPlan p, long first, int n, ChunkBuffers b) {
        int width = p.tensor.dtype().blockBytes(); // one element per "block" for these float types
        return read(p, first * width, Math.multiplyExact(n, width), b);
    }

    /**
     * Converts elements {@code [from, from + n)} of {@code raw} (a {@link #readRaw} result; indexes relative to its
     * first element) to floats in {@code b.x[0, n)}.
     */
    static void convert(TensorPlan p, MemorySegment raw, int from, int n, ChunkBuffers b) {
        b.ensure(n);
        int width = p.tensor.dtype().blockBytes();
        MemorySegment src = raw.asSlice((long) from * width, (long) n * width);
        switch (p.tensor.dtype()) {
            case F32 -> MemorySegment.copy(src, F32, 0, b.x, 0, n);
            case F16, BF16 -> {
                if (b.halves.length < n) {
                    b.halves = new short[n];
                }
                MemorySegment.copy(src, I16, 0, b.halves, 0, n);
                if (p.tensor.dtype() == DType.F16) {
                    for (int i = 0; i < n; i++) {
                        b.x[i] = Float.float16ToFloat(b.halves[i]);
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        b.x[i] = Float.intBitsToFloat((b.halves[i] & 0xffff) << 16);
                    }
                }
            }
            case F64 -> {
                if (b.doubles.length < n) {
                    b.doubles = new double[n];
                }
                MemorySegment.copy(src, F64, 0, b.doubles, 0, n);
                for (int i = 0; i < n; i++) {
                    b.x[i] = (float) b.doubles[i];
                }
            }
            default -> throw new IllegalStateException("not a float tensor: " + p.tensor);
        }
    }

    /**
     * Bytes {@code [byteOff, byteOff + len)} of the tensor's data (already checked to lie inside the file when
     * planned), by a positional read into the thread's direct buffer. Not through the mapping: a fresh mapping costs a
     * page fault per few pages plus the unmap (about 15% of a Q8_0 scan's CPU under perf), while pread copies the
     * page-cache data once into a buffer that is reused, so it stays in cache. A file shortened during the scan ends in
     * a typed error, not a SIGBUS as with a mapping.
     */
    private static MemorySegment read(TensorPlan p, long byteOff, int len, ChunkBuffers b) {
        ByteBuffer bb = b.direct(len);
        long start = p.tensor.offset() + byteOff;
        try {
            while (bb.hasRemaining()) {
                if (p.channel.read(bb, start + bb.position()) < 0) {
                    throw new CorruptModelException(
                            p.tensor.file(),
                            start + bb.position(),
                            p.tensor.name()
                                    + ": the file ended inside the tensor data (was it truncated during the scan?)");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p.tensor.file() + " at byte " + start, e);
        }
        return MemorySegment.ofBuffer(bb.flip());
    }
}
