package dev.heft.core.quant;

import dev.heft.core.quant.QuantErrorReport.Skipped;
import dev.heft.core.quant.QuantErrorReport.TensorError;
import dev.heft.core.tensor.TensorInventory;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 *
 * <p>This class holds the entry points and runs the passes in order; the parts live beside it: {@link ScanPlanner}
 * (what to read, into {@link TensorPlan}s), {@link ChunkReader} (positional reads and float conversion into
 * {@link ChunkBuffers}), {@link PruneThreshold} (the pre-pass statistics and the radix select), {@link ChunkRunner}
 * (the pool) with {@link ProgressTracker}, and {@link ErrorReportBuilder} (the report).
 */
public final class QuantErrorScanner {
    private final ErrorKernel kernel;

    private QuantErrorScanner(ErrorKernel kernel) {
        this.kernel = kernel;
    }

    /** Scans with the kernel chosen at start-up (vector where the CPU and JVM allow, else scalar). */
    public static QuantErrorReport scan(
            TensorInventory inventory,
            List<QuantScheme> schemes,
            QuantErrorOptions options,
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
            PruneThreshold.prunedSums(x, x.length, threshold, sums);
            long ties = k - below;
            if (ties > 0) {
                PruneThreshold.addTies(sums, threshold, ties);
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
            SchemeRoundTrips.roundTrip(
                    scheme, x, x.length, rowLength, y, amax, offset, new SchemeRoundTrips.Work(), kernel);
            kernel.accumulate(x, y, 0, x.length, sums);
        }
        return new TensorError(
                "array", scheme.name(), sums.n, sums.rmse(), sums.maxAbsErr, sums.sqnrDb(), sums.cosine());
    }

    /** Scans with the scalar reference kernel (tests compare the two). */
    static QuantErrorReport scanScalar(
            TensorInventory inventory, List<QuantScheme> schemes, QuantErrorOptions options) {
        return new QuantErrorScanner(new ScalarErrorKernel()).run(inventory, schemes, options, QuantErrorProgress.NONE);
    }

    private QuantErrorReport run(
            TensorInventory inventory,
            List<QuantScheme> schemeList,
            QuantErrorOptions options,
            QuantErrorProgress progress) {
        List<QuantScheme> schemes = List.copyOf(schemeList);
        if (schemes.isEmpty()) {
            throw new IllegalArgumentException("no schemes to scan");
        }
        List<Skipped> skipped = new ArrayList<>();
        Map<Path, FileChannel> channels = new HashMap<>(); // worker threads share them (positional reads only)
        ThreadLocal<ChunkBuffers> buffers = ThreadLocal.withInitial(ChunkBuffers::new);
        try (ChunkRunner runner = new ChunkRunner(options.threads())) {
            List<TensorPlan> plans = ScanPlanner.plan(inventory, schemes, options, skipped, channels);
            int dqBlock = schemes.stream()
                    .filter(s -> s instanceof QuantScheme.Nf4Blockwise b && b.doubleQuant())
                    .mapToInt(s -> ((QuantScheme.Nf4Blockwise) s).blockSize())
                    .findFirst()
                    .orElse(0);
            boolean needAmax = plans.stream()
                            .anyMatch(p -> p.schemes.stream().anyMatch(i -> schemes.get(i) instanceof QuantScheme.Fp8))
                    || dqBlock > 0;
            boolean needPrune = plans.stream()
                    .anyMatch(p ->
                            p.schemes.stream().anyMatch(i -> schemes.get(i) instanceof QuantScheme.MagnitudePrune));
            if (needAmax || needPrune) {
                runner.runAll(plans, (p, c) -> PruneThreshold.statsPass(p, c, buffers.get(), needPrune, dqBlock));
                for (TensorPlan p : plans) {
                    p.nf4Offset = p.nf4AbsmaxSum[1] == 0 ? 0f : (float) (p.nf4AbsmaxSum[0] / p.nf4AbsmaxSum[1]);
                }
                if (needPrune) {
                    for (TensorPlan p : plans) {
                        PruneThreshold.chooseHighBin(p, PruneThreshold.pruneFraction(schemes, p));
                    }
                    runner.runAll(plans, (p, c) -> PruneThreshold.lowHistPass(p, c, buffers.get()));
                    for (TensorPlan p : plans) {
                        PruneThreshold.chooseThreshold(p);
                    }
                }
            }
            int total = plans.size();
            long totalBytes = plans.stream().mapToLong(p -> p.tensor.bytes()).sum();
            ProgressTracker tracker = new ProgressTracker(progress, plans, total, totalBytes);
            WarmupGate gate = WarmupGate.forScan(options.threads(), kernel);
            runner.runAll(plans, (p, c) -> {
                mainPass(p, c, schemes, buffers.get(), gate);
                tracker.chunkDone(p, c);
            });
            return ErrorReportBuilder.report(plans, schemes, options, skipped);
        } finally {
            for (FileChannel ch : channels.values()) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // read-only channel: nothing was written, nothing to lose
                }
            }
        }
    }

    /**
     * Elements per cache-sized slice of a chunk for the Q8_0/Q4_0 one-pass kernel (64 KiB of floats, a multiple of
     * 32): converting a whole 2 MiB chunk first and then reading it back ran the kernel from memory instead of L2
     * (profiles put most samples on the kernel's first load of x). The chunk is still read from the file in one
     * positional read ({@link ChunkReader#readRaw}) and converted slice by slice: a read per slice was ~20,000
     * {@code FileChannel.read} calls for a 1.34 GB file, each a few dozen JDK methods that run interpreted until C2
     * gets to them late in the scan, and a mix of schemes read every chunk twice (bench/RESULTS-quant.md, session 6).
     */
    static final int SLICE_ELEMENTS = 1 << 14;

    private static boolean isQ8OrQ4(QuantScheme s) {
        return s instanceof QuantScheme.Ggml g && (g.type() == GgmlQuantType.Q8_0 || g.type() == GgmlQuantType.Q4_0);
    }

    private void mainPass(TensorPlan p, int c, List<QuantScheme> schemes, ChunkBuffers b, WarmupGate gate) {
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
        MemorySegment raw = ChunkReader.readRaw(p, first, n, b);
        if (anyFast) { // Q8_0/Q4_0 need only whole 32-blocks: slice by slice, each converted and used while in cache
            gate.await(); // one thread alone until the vector kernel is compiled (WarmupGate)
            for (int done = 0; done < n; done += SLICE_ELEMENTS) {
                int m = Math.min(SLICE_ELEMENTS, n - done);
                ChunkReader.convert(p, raw, done, m, b);
                for (int si : p.schemes) {
                    if (schemes.get(si) instanceof QuantScheme.Ggml g && isQ8OrQ4(g)) {
                        boolean timed = gate.measuring();
                        long start = timed ? System.nanoTime() : 0;
                        kernel.roundTripError(g.type() == GgmlQuantType.Q8_0, b.x, 0, m, b.y, p.partial[c][si]);
                        if (timed) {
                            gate.kernelCall(m, System.nanoTime() - start);
                        }
                    }
                }
            }
        }
        if (!anyOther) {
            return;
        }
        ChunkReader.convert(p, raw, 0, n, b);
        for (int si : p.schemes) {
            QuantScheme s = schemes.get(si);
            if (isQ8OrQ4(s)) {
                continue;
            }
            ErrorSums sums = new ErrorSums();
            if (s instanceof QuantScheme.MagnitudePrune) {
                PruneThreshold.prunedSums(b.x, n, p.pruneThreshold, sums);
            } else {
                SchemeRoundTrips.roundTrip(
                        s,
                        b.x,
                        n,
                        s.perOutputChannel() ? p.channelLength : p.rowLength,
                        b.y,
                        p.amax,
                        p.nf4Offset,
                        b.work,
                        kernel);
                kernel.accumulate(b.x, b.y, 0, n, sums);
            }
            p.partial[c][si] = sums;
        }
    }
}
