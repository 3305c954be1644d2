package dev.heft.core.quant;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.quant.QuantErrorReport.Skipped;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides what a quantization error scan reads: which tensors of the inventory are float weights it can stream,
 * which schemes apply to each (with the reason for every tensor or scheme it leaves out), and how a tensor is cut
 * into chunks of whole rows, channels and blocks. It also checks each tensor's byte range against its file before
 * any worker reads it, so the passes can trust the plan.
 */
final class ScanPlanner {
    /** Longest chunk unit (lcm of row length and block sizes) heft streams; longer rows are reported as skipped. */
    private static final long MAX_UNIT_ELEMENTS = 1L << 24;

    private ScanPlanner() {}

    /**
     * One plan per tensor to scan; tensors and schemes left out go to {@code skipped} with the reason. Opens each
     * file once into {@code channels} (the caller closes them).
     */
    static List<TensorPlan> plan(
            TensorInventory inv,
            List<QuantScheme> schemes,
            QuantErrorOptions options,
            List<Skipped> skipped,
            Map<Path, FileChannel> channels) {
        long pruneSchemes = schemes.stream()
                .filter(s -> s instanceof QuantScheme.MagnitudePrune)
                .count();
        if (pruneSchemes > 1) {
            throw new IllegalArgumentException("at most one pruning fraction per scan");
        }
        if (schemes.stream()
                        .filter(s -> s instanceof QuantScheme.Nf4Blockwise b && b.doubleQuant())
                        .count()
                > 1) {
            throw new IllegalArgumentException("at most one double-quantized NF4 variant per scan");
        }
        List<TensorPlan> plans = new ArrayList<>();
        for (Tensor t : inv.tensors()) {
            DType dt = t.dtype();
            if (t.packing().isPresent()) {
                // Its bytes are packed integers (or 8-bit floats) with scales elsewhere: decoding them as floats would
                // measure garbage.
                skipped.add(new Skipped(
                        t.name(),
                        null,
                        "already quantized (" + t.packing().get().layout()
                                + "): packed storage, not float weights to re-quantize"));
                continue;
            }
            if (dt != DType.F32 && dt != DType.F16 && dt != DType.BF16 && dt != DType.F64) {
                if (dt.isFloat() || dt.isQuantized()) {
                    skipped.add(new Skipped(
                            t.name(),
                            null,
                            "stored as " + dt + "; only F32/F16/BF16/F64 weights are " + "re-quantized"));
                }
                continue;
            }
            if (t.role() != TensorRole.WEIGHT) {
                continue;
            }
            if (t.rank() == 0 || (t.rank() == 1 && !options.includeVectors())) {
                skipped.add(new Skipped(
                        t.name(),
                        null,
                        t.rank() == 0
                                ? "scalar"
                                : "1-D tensor (norm or bias); " + "llama-quantize keeps these unquantized"));
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
                throw new CorruptModelException(
                        t.file(),
                        t.offset(),
                        t.name() + ": shape " + Shapes.format(shape) + " overflows a 64-bit element or byte count");
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
            CorruptModelException.verify(
                    t.bytes() == expected,
                    t.file(),
                    t.offset(),
                    t.name() + ": " + t.bytes() + " bytes stored, but " + dt + " x " + elements + " elements needs "
                            + expected);
            CorruptModelException.verify(
                    t.offset() <= fileSize && t.bytes() <= fileSize - t.offset(),
                    t.file(),
                    t.offset(),
                    t.name() + ": data [" + t.offset() + ", +" + t.bytes() + ") runs past the end of the " + fileSize
                            + "-byte file");
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
                skipped.add(
                        new Skipped(t.name(), null, "rows/channels of " + unit + " elements are too long to stream"));
                continue;
            }
            long perChunk = Math.max(1, options.chunkBytes() / dt.blockBytes() / unit) * unit;
            int chunkElements = (int) Math.min(perChunk, Math.max(unit, Math.min(elements, MAX_UNIT_ELEMENTS)));
            TensorPlan p = new TensorPlan(
                    t, ch, (int) rowLength, (int) channelLength, elements, chunkElements, schemes.size());
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
}
