package dev.heft.core.quant;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.HeftException;
import dev.heft.core.quant.QuantErrorReport.SchemeError;
import dev.heft.core.quant.QuantErrorReport.Skipped;
import dev.heft.core.quant.QuantErrorReport.TensorError;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code heft quant-error}'s engine: reads every floating-point weight tensor of an inventory from its file, runs
 * each scheme's quantize -> dequantize round trip (or pruning) and reports the error per tensor and overall.
 *
 * <p>Streaming: each file is opened once (one channel shared by the worker threads, which use positional reads only);
 * a task converts one chunk of whole rows (about {@link QuantErrorOptions#chunkBytes()}) to floats in per-thread
 * buffers, so memory stays flat whatever the model size. Tasks of all tensors run on a fixed pool. Per-chunk sums
 * are kept and added in chunk order, so results do not depend on thread scheduling.
 *
 * <p>FP8 needs the tensor's absmax and pruning its magnitude threshold before the main pass; those come from one or
 * two extra read passes (a radix select on the float bits of |w|: 15 high bits, then 16 low bits), run only when such
 * a scheme is asked for.
 */
public final class QuantErrorScanner {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Longest chunk unit (lcm of row length and block sizes) heft streams; longer rows are reported as skipped. */
    private static final long MAX_UNIT_ELEMENTS = 1L << 24;

    private final ErrorKernel kernel;

    private QuantErrorScanner(ErrorKernel kernel) {
        this.kernel = kernel;
    }

    /** Scans with the kernel chosen at start-up (vector where the CPU and JVM allow, else scalar). */
    public static QuantErrorReport scan(TensorInventory inventory, List<QuantScheme> schemes, QuantErrorOptions options,
                                        QuantErrorProgress progress) {
        return new QuantErrorScanner(ErrorKernel.preferred()).run(inventory, schemes, options, progress);
    }

    /**
     * Error of one scheme on an in-memory array (one thread, no file): {@code x} holds whole rows of
     * {@code rowLength}. For library users and benchmarks; the file scan above is the streaming path.
     */
    public static TensorError measure(QuantScheme scheme, float[] x, int rowLength) {
        if (rowLength < 1 || x.length % rowLength != 0) {
            throw new IllegalArgumentException(x.length + " values are not whole rows of " + rowLength);
        }
        String why = scheme.inapplicableReason(rowLength);
        if (why != null) {
            throw new IllegalArgumentException(scheme.name() + ": " + why);
        }
        ErrorKernel kernel = ErrorKernel.preferred();
        ErrorSums sums = new ErrorSums();
        if (scheme instanceof QuantScheme.MagnitudePrune m) {
            long k = (long) Math.rint(m.fraction() * x.length);
            float[] mags = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                mags[i] = Math.abs(x[i]);
            }
            java.util.Arrays.sort(mags);
            float threshold = k == 0 ? Float.NEGATIVE_INFINITY : mags[(int) k - 1];
            long below = 0;
            for (float v : mags) {
                below += v < threshold ? 1 : 0;
            }
            prunedSums(x, x.length, threshold, sums);
            long ties = k - below;
            if (ties > 0) {
                double tt = (double) threshold * threshold * ties;
                sums.sumErr2 += tt;
                sums.sumY2 -= tt;
                sums.sumXY -= tt;
                sums.maxAbsErr = Math.max(sums.maxAbsErr, threshold);
            }
        } else {
            float amax = 0f;
            for (float v : x) {
                amax = Math.max(amax, Math.abs(v));
            }
            float offset = 0f;
            if (scheme instanceof QuantScheme.Nf4Blockwise b && b.doubleQuant()) {
                double[] sc = new double[2];
                Nf4.absmaxSum(x, x.length, b.blockSize(), sc);
                offset = (float) (sc[0] / sc[1]);
            }
            float[] y = new float[x.length];
            SchemeRoundTrips.roundTrip(scheme, x, x.length, rowLength, y, amax, offset, new SchemeRoundTrips.Work(),
                    kernel);
            kernel.accumulate(x, y, 0, x.length, sums);
        }
        return new TensorError("array", scheme.name(), sums.n, sums.rmse(), sums.maxAbsErr, sums.sqnrDb(),
                sums.cosine());
    }

    /** Scans with the scalar reference kernel (tests compare the two). */
    static QuantErrorReport scanScalar(TensorInventory inventory, List<QuantScheme> schemes, QuantErrorOptions options) {
        return new QuantErrorScanner(new ScalarErrorKernel()).run(inventory, schemes, options, QuantErrorProgress.NONE);
    }

    /** One tensor to scan. */
    private static final class Plan {
        final Tensor tensor;
        final FileChannel channel; // the same file, for positional reads of the data (see read)
        final int rowLength;
        final int channelLength; // elements per output channel (rank >= 4: all after dim 0; else = rowLength)
        final long elements;
        final int chunkElements;
        final int chunks;
        final List<Integer> schemes = new ArrayList<>(); // indexes into the scheme list
        final ErrorSums[][] partial; // [chunk][scheme]
        float amax;
        final double[] nf4AbsmaxSum = new double[2]; // sum, count of block absmax (NF4 double quantization)
        float nf4Offset;
        long[] highHist;
        long[] lowHist;
        int pruneHigh;
        long pruneCount;
        float pruneThreshold = Float.NEGATIVE_INFINITY; // |w| < threshold is pruned, plus pruneTies at == threshold
        long pruneTies;
        long[] prunedBelow; // per chunk: elements below the threshold

        Plan(Tensor tensor, FileChannel channel, int rowLength, int channelLength, long elements,
             int chunkElements, int nSchemes) {
            this.tensor = tensor;
            this.channel = channel;
            this.rowLength = rowLength;
            this.channelLength = channelLength;
            this.elements = elements;
            this.chunkElements = chunkElements;
            this.chunks = Math.toIntExact((elements + chunkElements - 1) / chunkElements);
            this.partial = new ErrorSums[chunks][nSchemes];
        }

        int chunkLength(int c) {
            return (int) Math.min(chunkElements, elements - (long) c * chunkElements);
        }

        long chunkBytes(int c) {
            return (long) chunkLength(c) * tensor.dtype().blockBytes();
        }
    }

    /** Per-thread buffers, grown on demand to the largest chunk. */
    private static final class Buffers {
        float[] x = new float[0];
        float[] y = new float[0];
        short[] halves = new short[0];
        double[] doubles = new double[0];
        int[] hist = new int[1 << 16];
        ByteBuffer direct = ByteBuffer.allocateDirect(0);
        final SchemeRoundTrips.Work work = new SchemeRoundTrips.Work();

        void ensure(int n) {
            if (x.length < n) {
                x = new float[n];
                y = new float[n];
            }
        }

        /** The direct buffer, at least {@code len} bytes, cleared and limited to {@code len}. */
        ByteBuffer direct(int len) {
            if (direct.capacity() < len) {
                direct = ByteBuffer.allocateDirect(len);
            }
            return direct.clear().limit(len);
        }
    }

    private QuantErrorReport run(TensorInventory inventory, List<QuantScheme> schemeList, QuantErrorOptions options,
                                 QuantErrorProgress progress) {
        List<QuantScheme> schemes = List.copyOf(schemeList);
        if (schemes.isEmpty()) {
            throw new IllegalArgumentException("no schemes to scan");
        }
        List<Skipped> skipped = new ArrayList<>();
        Map<Path, FileChannel> channels = new HashMap<>(); // worker threads share them (positional reads only)
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "heft-quant-error");
            t.setDaemon(true);
            return t;
        });
        ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);
        try {
            List<Plan> plans = plan(inventory, schemes, options, skipped, channels);
            int dqBlock = schemes.stream().filter(s -> s instanceof QuantScheme.Nf4Blockwise b && b.doubleQuant())
                    .mapToInt(s -> ((QuantScheme.Nf4Blockwise) s).blockSize()).findFirst().orElse(0);
            boolean needAmax = plans.stream().anyMatch(p -> p.schemes.stream().anyMatch(
                    i -> schemes.get(i) instanceof QuantScheme.Fp8)) || dqBlock > 0;
            boolean needPrune = plans.stream().anyMatch(p -> p.schemes.stream().anyMatch(
                    i -> schemes.get(i) instanceof QuantScheme.MagnitudePrune));
            if (needAmax || needPrune) {
                runAll(pool, plans, (p, c) -> statsPass(p, c, buffers.get(), needPrune, dqBlock));
                for (Plan p : plans) {
                    p.nf4Offset = p.nf4AbsmaxSum[1] == 0 ? 0f : (float) (p.nf4AbsmaxSum[0] / p.nf4AbsmaxSum[1]);
                }
                if (needPrune) {
                    for (Plan p : plans) {
                        chooseHighBin(p, pruneFraction(schemes, p));
                    }
                    runAll(pool, plans, (p, c) -> lowHistPass(p, c, buffers.get()));
                    for (Plan p : plans) {
                        chooseThreshold(p);
                    }
                }
            }
            int total = plans.size();
            long totalBytes = plans.stream().mapToLong(p -> p.tensor.bytes()).sum();
            ProgressTracker tracker = new ProgressTracker(progress, plans, total, totalBytes);
            runAll(pool, plans, (p, c) -> {
                mainPass(p, c, schemes, buffers.get());
                tracker.chunkDone(p, c);
            });
            return report(plans, schemes, options, skipped);
        } finally {
            pool.shutdownNow();
            for (FileChannel ch : channels.values()) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // read-only channel: nothing was written, nothing to lose
                }
            }
        }
    }

    private static double pruneFraction(List<QuantScheme> schemes, Plan p) {
        for (int i : p.schemes) {
            if (schemes.get(i) instanceof QuantScheme.MagnitudePrune m) {
                return m.fraction();
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- planning

    private List<Plan> plan(TensorInventory inv, List<QuantScheme> schemes, QuantErrorOptions options,
                            List<Skipped> skipped, Map<Path, FileChannel> channels) {
        long pruneSchemes = schemes.stream().filter(s -> s instanceof QuantScheme.MagnitudePrune).count();
        if (pruneSchemes > 1) {
            throw new IllegalArgumentException("at most one pruning fraction per scan");
        }
        if (schemes.stream().filter(s -> s instanceof QuantScheme.Nf4Blockwise b && b.doubleQuant()).count() > 1) {
            throw new IllegalArgumentException("at most one double-quantized NF4 variant per scan");
        }
        List<Plan> plans = new ArrayList<>();
        for (Tensor t : inv.tensors()) {
            DType dt = t.dtype();
            if (t.packing().isPresent()) {
                // Its bytes are packed integers (or 8-bit floats) with scales elsewhere: decoding them as floats would
                // measure garbage.
                skipped.add(new Skipped(t.name(), null, "already quantized (" + t.packing().get().layout()
                        + "): packed storage, not float weights to re-quantize"));
                continue;
            }
            if (dt != DType.F32 && dt != DType.F16 && dt != DType.BF16 && dt != DType.F64) {
                if (dt.isFloat() || dt.isQuantized()) {
                    skipped.add(new Skipped(t.name(), null, "stored as " + dt + "; only F32/F16/BF16/F64 weights are "
                            + "re-quantized"));
                }
                continue;
            }
            if (t.role() != TensorRole.WEIGHT) {
                continue;
            }
            if (t.rank() == 0 || (t.rank() == 1 && !options.includeVectors())) {
                skipped.add(new Skipped(t.name(), null, t.rank() == 0 ? "scalar" : "1-D tensor (norm or bias); "
                        + "llama-quantize keeps these unquantized"));
                continue;
            }
            long[] shape = t.shape();
            long rowLength = shape[shape.length - 1];
            long elements;
            long expected;
            try {
                elements = t.elements();
                expected = dt.bytesFor(elements);
            } catch (ArithmeticException e) {
                throw new CorruptModelException(t.file(), t.offset(), t.name() + ": shape " + Shapes.format(shape)
                        + " overflows a 64-bit element or byte count");
            }
            if (elements == 0) {
                continue;
            }
            if (t.file() == null || t.offset() < 0) {
                skipped.add(new Skipped(t.name(), null, "tensor data is not in a mapped file"));
                continue;
            }
            FileChannel ch = channels.computeIfAbsent(t.file(), f -> {
                try {
                    return FileChannel.open(f, StandardOpenOption.READ);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open " + f, e);
                }
            });
            long fileSize;
            try {
                fileSize = ch.size();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the size of " + t.file(), e);
            }
            CorruptModelException.verify(t.bytes() == expected, t.file(), t.offset(),
                    t.name() + ": " + t.bytes() + " bytes stored, but " + dt + " x " + elements + " elements needs "
                            + expected);
            CorruptModelException.verify(t.offset() <= fileSize && t.bytes() <= fileSize - t.offset(), t.file(),
                    t.offset(), t.name() + ": data [" + t.offset() + ", +" + t.bytes() + ") runs past the end of the "
                            + fileSize + "-byte file");
            List<Integer> applicable = new ArrayList<>();
            long channelLength = shape.length >= 4 ? elements / shape[0] : rowLength;
            long unit = rowLength;
            for (int i = 0; i < schemes.size(); i++) {
                long rows = schemes.get(i).perOutputChannel() ? channelLength : rowLength;
                String why = schemes.get(i).inapplicableReason(rows);
                if (why != null) {
                    skipped.add(new Skipped(t.name(), schemes.get(i).name(), why));
                } else {
                    applicable.add(i);
                    unit = lcm(lcm(unit, rows), schemes.get(i).flatGranule());
                }
            }
            if (applicable.isEmpty()) {
                continue;
            }
            if (unit > MAX_UNIT_ELEMENTS) { // chunks are whole rows, channels and blocks: unit elements at least
                skipped.add(new Skipped(t.name(), null, "rows/channels of " + unit + " elements are too long to stream"));
                continue;
            }
            long perChunk = Math.max(1, options.chunkBytes() / dt.blockBytes() / unit) * unit;
            int chunkElements = (int) Math.min(perChunk, Math.max(unit, Math.min(elements, MAX_UNIT_ELEMENTS)));
            Plan p = new Plan(t, ch, (int) rowLength, (int) channelLength,
                    elements, chunkElements, schemes.size());
            p.schemes.addAll(applicable);
            plans.add(p);
        }
        return plans;
    }

    private static long lcm(long a, long b) {
        long g = a;
        long h = b;
        while (h != 0) {
            long t = g % h;
            g = h;
            h = t;
        }
        return Math.multiplyExact(a / g, b);
    }

    // ---------------------------------------------------------------- passes

    private interface ChunkTask {
        void run(Plan p, int chunk) throws Exception;
    }

    private static void runAll(ExecutorService pool, List<Plan> plans, ChunkTask task) {
        List<Callable<Void>> tasks = new ArrayList<>();
        for (Plan p : plans) {
            for (int c = 0; c < p.chunks; c++) {
                final int chunk = c;
                tasks.add(() -> {
                    task.run(p, chunk);
                    return null;
                });
            }
        }
        try {
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HeftException("quantization error scan interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Converts chunk {@code c} of the tensor to floats in {@code b.x}; returns its length. */
    private static int load(Plan p, int c, Buffers b) {
        int n = p.chunkLength(c);
        load(p, (long) c * p.chunkElements, n, b);
        return n;
    }

    /** Converts elements {@code [first, first + n)} of the tensor to floats in {@code b.x[0, n)}. */
    private static void load(Plan p, long first, int n, Buffers b) {
        b.ensure(n);
        int width = p.tensor.dtype().blockBytes(); // one element per "block" for these float types
        MemorySegment src = read(p, first * width, Math.multiplyExact(n, width), b);
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
    private static MemorySegment read(Plan p, long byteOff, int len, Buffers b) {
        ByteBuffer bb = b.direct(len);
        long start = p.tensor.offset() + byteOff;
        try {
            while (bb.hasRemaining()) {
                if (p.channel.read(bb, start + bb.position()) < 0) {
                    throw new CorruptModelException(p.tensor.file(), start + bb.position(), p.tensor.name()
                            + ": the file ended inside the tensor data (was it truncated during the scan?)");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p.tensor.file() + " at byte " + start, e);
        }
        return MemorySegment.ofBuffer(bb.flip());
    }

    /** absmax, and the histogram of the top 15 bits of |w| (sign cleared) for pruning. */
    private static void statsPass(Plan p, int c, Buffers b, boolean prune, int dqBlock) {
        int n = load(p, c, b);
        double[] dq = new double[2];
        if (dqBlock > 0) {
            Nf4.absmaxSum(b.x, n, dqBlock, dq);
        }
        float amax = 0f;
        int[] h = b.hist;
        if (prune) {
            java.util.Arrays.fill(h, 0, 1 << 15, 0);
        }
        for (int i = 0; i < n; i++) {
            float a = Math.abs(b.x[i]);
            amax = Math.max(amax, a);
            if (prune) {
                h[Float.floatToRawIntBits(a) >>> 16]++;
            }
        }
        synchronized (p) {
            p.amax = Math.max(p.amax, amax);
            p.nf4AbsmaxSum[0] += dq[0];
            p.nf4AbsmaxSum[1] += dq[1];
            if (prune) {
                if (p.highHist == null) {
                    p.highHist = new long[1 << 15];
                }
                for (int i = 0; i < (1 << 15); i++) {
                    p.highHist[i] += h[i];
                }
            }
        }
    }

    private static void chooseHighBin(Plan p, double fraction) {
        if (fraction < 0) {
            return;
        }
        p.pruneCount = (long) Math.rint(fraction * p.elements);
        if (p.pruneCount == 0) {
            return;
        }
        long cum = 0;
        for (int i = 0; i < p.highHist.length; i++) {
            if (cum + p.highHist[i] >= p.pruneCount) {
                p.pruneHigh = i;
                p.pruneTies = cum; // elements below this bin, for now
                p.lowHist = new long[1 << 16];
                return;
            }
            cum += p.highHist[i];
        }
        throw new IllegalStateException("histogram does not add up for " + p.tensor.name());
    }

    private static void lowHistPass(Plan p, int c, Buffers b) {
        if (p.lowHist == null) {
            return;
        }
        int n = load(p, c, b);
        int[] h = b.hist;
        java.util.Arrays.fill(h, 0);
        int high = p.pruneHigh;
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToRawIntBits(Math.abs(b.x[i]));
            if ((bits >>> 16) == high) {
                h[bits & 0xffff]++;
            }
        }
        synchronized (p) {
            for (int i = 0; i < h.length; i++) {
                p.lowHist[i] += h[i];
            }
        }
    }

    private static void chooseThreshold(Plan p) {
        if (p.lowHist == null) {
            return;
        }
        long below = p.pruneTies;
        for (int i = 0; i < p.lowHist.length; i++) {
            if (below + p.lowHist[i] >= p.pruneCount) {
                p.pruneThreshold = Float.intBitsToFloat((p.pruneHigh << 16) | i);
                p.pruneTies = p.pruneCount - below; // how many of the values equal to the threshold are pruned
                return;
            }
            below += p.lowHist[i];
        }
        throw new IllegalStateException("histogram does not add up for " + p.tensor.name());
    }

    /**
     * Elements per cache-sized slice of a chunk for the Q8_0/Q4_0 one-pass kernel (64 KiB of floats, a multiple of
     * 32): converting a whole 2 MiB chunk first and then reading it back ran the kernel from memory instead of L2
     * (profiles put most samples on the kernel's first load of x).
     */
    static final int SLICE_ELEMENTS = 1 << 14;

    private static boolean isQ8OrQ4(QuantScheme s) {
        return s instanceof QuantScheme.Ggml g && (g.type() == GgmlQuantType.Q8_0 || g.type() == GgmlQuantType.Q4_0);
    }

    private void mainPass(Plan p, int c, List<QuantScheme> schemes, Buffers b) {
        int n = p.chunkLength(c);
        long first = (long) c * p.chunkElements;
        boolean anyFast = false;
        boolean anyOther = false;
        for (int si : p.schemes) {
            boolean fast = isQ8OrQ4(schemes.get(si));
            anyFast |= fast;
            anyOther |= !fast;
            if (fast) {
                p.partial[c][si] = new ErrorSums();
            }
        }
        if (anyFast) { // Q8_0/Q4_0 need only whole 32-blocks: slice by slice, each converted and used while in cache
            for (int done = 0; done < n; done += SLICE_ELEMENTS) {
                int m = Math.min(SLICE_ELEMENTS, n - done);
                load(p, first + done, m, b);
                for (int si : p.schemes) {
                    if (schemes.get(si) instanceof QuantScheme.Ggml g && isQ8OrQ4(g)) {
                        kernel.roundTripError(g.type() == GgmlQuantType.Q8_0, b.x, 0, m, b.y, p.partial[c][si]);
                    }
                }
            }
        }
        if (!anyOther) {
            return;
        }
        load(p, first, n, b);
        for (int si : p.schemes) {
            QuantScheme s = schemes.get(si);
            if (isQ8OrQ4(s)) {
                continue;
            }
            ErrorSums sums = new ErrorSums();
            if (s instanceof QuantScheme.MagnitudePrune) {
                prunedSums(b.x, n, p.pruneThreshold, sums);
            } else {
                SchemeRoundTrips.roundTrip(s, b.x, n, s.perOutputChannel() ? p.channelLength : p.rowLength, b.y,
                        p.amax, p.nf4Offset, b.work, kernel);
                kernel.accumulate(b.x, b.y, 0, n, sums);
            }
            p.partial[c][si] = sums;
        }
    }

    /** Error of zeroing every |w| below the threshold (ties at the threshold are added once per tensor). */
    private static void prunedSums(float[] x, int n, float threshold, ErrorSums s) {
        double e2 = 0;
        double x2 = 0;
        double max = 0;
        for (int i = 0; i < n; i++) {
            double v = x[i];
            double a = Math.abs(v);
            x2 += v * v;
            if (a < threshold) {
                e2 += v * v;
                max = Math.max(max, a);
            }
        }
        s.n = n;
        s.sumErr2 = e2;
        s.maxAbsErr = max;
        s.sumX2 = x2;
        s.sumY2 = x2 - e2;
        s.sumXY = x2 - e2;
    }

    // ---------------------------------------------------------------- results

    private static QuantErrorReport report(List<Plan> plans, List<QuantScheme> schemes, QuantErrorOptions options,
                                           List<Skipped> skipped) {
        List<TensorError> rows = new ArrayList<>();
        List<List<TensorError>> byScheme = new ArrayList<>();
        List<ErrorSums> overall = new ArrayList<>();
        for (int i = 0; i < schemes.size(); i++) {
            byScheme.add(new ArrayList<>());
            overall.add(new ErrorSums());
        }
        for (Plan p : plans) {
            for (int si : p.schemes) {
                ErrorSums t = new ErrorSums();
                for (int c = 0; c < p.chunks; c++) {
                    t.add(p.partial[c][si]);
                }
                if (schemes.get(si) instanceof QuantScheme.MagnitudePrune && p.pruneTies > 0) {
                    double tt = (double) p.pruneThreshold * p.pruneThreshold * p.pruneTies;
                    t.sumErr2 += tt;
                    t.sumY2 -= tt;
                    t.sumXY -= tt;
                    t.maxAbsErr = Math.max(t.maxAbsErr, p.pruneThreshold);
                }
                TensorError row = new TensorError(p.tensor.name(), schemes.get(si).name(), t.n, t.rmse(), t.maxAbsErr,
                        t.sqnrDb(), t.cosine());
                rows.add(row);
                byScheme.get(si).add(row);
                overall.get(si).add(t);
            }
        }
        List<SchemeError> out = new ArrayList<>();
        Comparator<TensorError> worstFirst = Comparator.comparingDouble(
                (TensorError r) -> Double.isNaN(r.sqnrDb()) ? Double.POSITIVE_INFINITY : r.sqnrDb())
                .thenComparing(Comparator.comparingDouble(TensorError::rmse).reversed());
        for (int i = 0; i < schemes.size(); i++) {
            ErrorSums s = overall.get(i);
            List<String> ranking = byScheme.get(i).stream().sorted(worstFirst).limit(options.topSensitive())
                    .map(TensorError::tensor).toList();
            out.add(new SchemeError(schemes.get(i).name(), byScheme.get(i).size(), s.n, s.rmse(), s.maxAbsErr,
                    s.sqnrDb(), s.cosine(), ranking));
        }
        return new QuantErrorReport(ErrorKernel.preferred().name(), rows, out, skipped);
    }

    /** Serializes progress calls and counts finished tensors. */
    private static final class ProgressTracker {
        private final QuantErrorProgress progress;
        private final Map<Plan, int[]> left = new HashMap<>();
        private final int total;
        private final long totalBytes;
        private int tensorsDone;
        private long bytesDone;

        ProgressTracker(QuantErrorProgress progress, List<Plan> plans, int total, long totalBytes) {
            this.progress = progress;
            for (Plan p : plans) {
                left.put(p, new int[] {p.chunks});
            }
            this.total = total;
            this.totalBytes = totalBytes;
        }

        synchronized void chunkDone(Plan p, int c) {
            bytesDone += p.chunkBytes(c);
            if (--left.get(p)[0] == 0) {
                tensorsDone++;
            }
            progress.progress(tensorsDone, total, bytesDone, totalBytes);
        }
    }
}
