package dev.heft.core.format.quantized;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Reads the bytes of the few small metadata tensors a packed layout keeps its shapes in (bitsandbytes' quant_state
 * JSON, compressed-tensors' {@code weight_shape}, HQQ's {@code shape}). The length is capped and checked against the
 * file size before anything is allocated; nothing else of a tensor's data is ever read.
 */
final class SmallTensors {
    /** A quant_state JSON is a few hundred bytes and a shape a few longs; anything much larger is not one. */
    static final long MAX_BYTES = 1 << 20;

    private final boolean enabled;

    /** @param enabled false where the files are not there to read (the web app's header-only uploads) */
    SmallTensors(boolean enabled) {
        this.enabled = enabled;
    }

    /** The tensor's bytes; empty when reading is disabled or the tensor has no location in a file. */
    Optional<byte[]> read(Tensor t, String what) {
        if (!enabled || t.file() == null || t.offset() < 0) {
            return Optional.empty();
        }
        if (t.bytes() > MAX_BYTES) {
            throw new CorruptModelException(
                    t.file(),
                    t.offset(),
                    t.name(),
                    what + " of " + t.bytes() + " bytes; expected at most " + MAX_BYTES);
        }
        byte[] data = new byte[(int) t.bytes()];
        try (FileChannel ch = FileChannel.open(t.file(), StandardOpenOption.READ)) {
            if (t.offset() > ch.size() - data.length) {
                throw new CorruptModelException(
                        t.file(),
                        t.offset(),
                        t.name(),
                        what + " runs past the end of the" + " file (" + ch.size() + " bytes)");
            }
            ByteBuffer buf = ByteBuffer.wrap(data);
            long pos = t.offset();
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos);
                if (r < 0) {
                    throw new CorruptModelException(t.file(), pos, t.name(), "file ended inside " + what);
                }
                pos += r;
            }
        } catch (IOException e) {
            return Optional.empty(); // an unreadable file: the layout falls back to what shapes say, with a note
        }
        return Optional.of(data);
    }

    /**
     * A small integer vector (a shape) stored as I64 or I32, little-endian, each entry non-negative.
     */
    Optional<long[]> readDims(Tensor t, String what) {
        if ((t.dtype() != dev.heft.core.tensor.DType.I64 && t.dtype() != dev.heft.core.tensor.DType.I32)
                || t.rank() > 1
                || t.elements() > 8) {
            return Optional.empty();
        }
        return read(t, what).map(raw -> {
            ByteBuffer b = ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            int n = (int) t.elements();
            long[] dims = new long[n];
            for (int i = 0; i < n; i++) {
                dims[i] = t.dtype() == dev.heft.core.tensor.DType.I64 ? b.getLong() : b.getInt();
                if (dims[i] < 0) {
                    throw new CorruptModelException(
                            t.file(),
                            t.offset(),
                            t.name(),
                            what + " " + java.util.Arrays.toString(dims) + " has a negative dimension");
                }
            }
            return dims;
        });
    }
}
