package dev.heft.core.format.gguf;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How many bytes of a GGUF file its header takes, found from a prefix without building anything: the header has no
 * length field (ggml docs/gguf.md, "File Structure": magic, version, counts, metadata KVs, tensor infos), so a reader
 * that fetches it over HTTP must walk what it has to learn how far it goes. For a prefix that stops inside the header
 * the answer is a lower bound on the header's end that is certain: every length, count and fixed-size field read so
 * far, plus the least the remaining elements can take (a string at least its length field, a KV at least its key
 * length, type and one value byte, a tensor info at least its name length, rank, type and offset). Fetching up to that
 * bound never fetches a byte the header does not need, which is how a remote read stays within "needed bytes plus one
 * fixed slack" whatever the vocabulary size.
 *
 * <p>Nothing here validates the header beyond what walking it requires: values are skipped, not decoded. A structure
 * that cannot be walked (bad magic, an unknown type, a count whose least size runs past the file) is reported as
 * {@link Unwalkable}; the caller then hands its bytes to {@link GgufReader#parseHeader}, whose error names the fault.
 */
public final class GgufExtent {
    private static final int MAX_ARRAY_DEPTH = 8;
    private static final int MAGIC = 0x46554747; // "GGUF" as a little-endian uint32
    /** A tensor info's least size besides its name length: n_dims (u32), type (u32), offset (u64). */
    private static final int TENSOR_INFO_FIXED = 4 + 4 + 8;

    private GgufExtent() {}

    /** What a prefix says about the header's extent. */
    public sealed interface Extent permits Complete, NeedMore, Unwalkable {}

    /** The header (through the last tensor info) ends at byte {@code end}, which is within the prefix. */
    public record Complete(long end) implements Extent {}

    /** The prefix ends inside the header, which certainly runs to at least byte {@code atLeast}. */
    public record NeedMore(long atLeast) implements Extent {}

    /** The prefix cannot be walked as a GGUF header; the parser will say why. */
    public record Unwalkable(String why) implements Extent {}

    /**
     * Walks {@code prefix[0, length)}, the first bytes of a file of {@code fileSize} bytes.
     */
    public static Extent scan(byte[] prefix, int length, long fileSize) {
        Walker w = new Walker(prefix, length, fileSize);
        try {
            return new Complete(w.walk());
        } catch (Short s) {
            long atLeast = w.lowerBound(s.end);
            if (atLeast > fileSize) {
                return new Unwalkable("the header would run past the end of the " + fileSize + "-byte file");
            }
            return new NeedMore(atLeast);
        } catch (Broken b) {
            return new Unwalkable(b.getMessage());
        }
    }

    /** The prefix ends before byte {@code end} (exclusive) is available. */
    private static final class Short extends Exception {
        private static final long serialVersionUID = 1L;
        final long end;

        Short(long end) {
            super(null, null, false, false);
            this.end = end;
        }
    }

    private static final class Broken extends Exception {
        private static final long serialVersionUID = 1L;

        Broken(String why) {
            super(why, null, false, false);
        }
    }

    private static final class Walker {
        private final byte[] b;
        private final int length;
        private final long fileSize;
        /** For each open list (KVs, tensor infos, arrays): {elements left after the current one, least bytes each}. */
        private final Deque<long[]> open = new ArrayDeque<>();

        private long pos;
        private int countBytes = 8;

        Walker(byte[] b, int length, long fileSize) {
            this.b = b;
            this.length = length;
            this.fileSize = fileSize;
        }

        long walk() throws Short, Broken {
            if (u32() != MAGIC) {
                throw new Broken("no GGUF magic");
            }
            long version = u32();
            GgufVersion v = GgufVersion.of(version);
            if (v == null) {
                throw new Broken("GGUF version " + version + " is not one heft reads");
            }
            countBytes = v.countBytes();
            long tensorCount = count();
            long kvCount = count();
            // The tensor infos follow the KVs, so while the KVs are walked all of them are still to come.
            long[] infos = open(tensorCount, countBytes + TENSOR_INFO_FIXED);
            long[] kvs = open(kvCount, countBytes + 4L + 1);
            for (long i = 0; i < kvCount; i++) {
                kvs[0] = kvCount - 1 - i;
                string();
                value(u32(), 0);
            }
            open.pop();
            for (long i = 0; i < tensorCount; i++) {
                infos[0] = tensorCount - 1 - i;
                string();
                long dims = u32();
                if (dims > GgufParser.MAX_DIMS) {
                    throw new Broken("a tensor info has " + dims + " dimensions");
                }
                skip(dims * countBytes);
                skip(4 + 8);
            }
            open.pop();
            return pos;
        }

        private void value(long type, int depth) throws Short, Broken {
            GgufValueType t = GgufValueType.fromId(type).orElseThrow(() -> new Broken("unknown value type " + type));
            switch (t) {
                case STRING -> string();
                case ARRAY -> {
                    if (depth >= MAX_ARRAY_DEPTH) {
                        throw new Broken("arrays nested deeper than " + MAX_ARRAY_DEPTH);
                    }
                    long elementType = u32();
                    GgufValueType et = GgufValueType.fromId(elementType)
                            .orElseThrow(() -> new Broken("unknown array element type " + elementType));
                    long n = count();
                    if (et.isFixedSize()) {
                        skip(saturatedMultiply(n < 0 ? Long.MAX_VALUE : n, et.fixedBytes()));
                        return;
                    }
                    long least = et == GgufValueType.STRING ? countBytes : 4L + countBytes;
                    long[] frame = open(n, least);
                    for (long i = 0; i < n; i++) {
                        frame[0] = n - 1 - i;
                        value(elementType, depth + 1);
                    }
                    open.pop();
                }
                default -> skip(t.fixedBytes());
            }
        }

        /** Opens a list of {@code n} elements of at least {@code least} bytes each; refuses one that cannot fit. */
        private long[] open(long n, long least) throws Broken {
            if (n < 0 || (n > 0 && least > 0 && n > (fileSize - pos) / least)) {
                throw new Broken("a count of " + Long.toUnsignedString(n) + " cannot fit in the file");
            }
            long[] frame = {n, least};
            open.push(frame);
            return frame;
        }

        /** The header's least end when the prefix ran out needing bytes up to {@code end}. */
        long lowerBound(long end) {
            long bound = end;
            for (long[] frame : open) {
                bound = saturatedAdd(bound, saturatedMultiply(Math.max(0, frame[0]), frame[1]));
            }
            return bound;
        }

        private void string() throws Short {
            long n = count();
            skip(n < 0 ? Long.MAX_VALUE : n);
        }

        private long count() throws Short {
            return countBytes == 4 ? u32() : u64();
        }

        private long u32() throws Short {
            need(4);
            long v = (b[(int) pos] & 0xffL)
                    | (b[(int) pos + 1] & 0xffL) << 8
                    | (b[(int) pos + 2] & 0xffL) << 16
                    | (b[(int) pos + 3] & 0xffL) << 24;
            pos += 4;
            return v;
        }

        private long u64() throws Short {
            need(8);
            long v = 0;
            for (int i = 7; i >= 0; i--) {
                v = (v << 8) | (b[(int) pos + i] & 0xffL);
            }
            pos += 8;
            return v;
        }

        private void skip(long n) throws Short {
            need(n);
            pos += n;
        }

        private void need(long n) throws Short {
            if (n > length - pos) {
                throw new Short(saturatedAdd(pos, n));
            }
        }
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private static long saturatedMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return (hi != 0 || lo < 0) ? Long.MAX_VALUE : lo;
    }
}
