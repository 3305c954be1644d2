package dev.heft.core.report;

import dev.heft.core.classify.Classification;
import dev.heft.core.classify.LayerKind;
import dev.heft.core.classify.TensorClassifier;
import dev.heft.core.classify.TiedHead;
import dev.heft.core.names.BlockLocator;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Packing;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.TreeMap;

/**
 * Everything {@code heft inspect} says about a stored model, computed once from a {@link TensorInventory} and the
 * classifier; the public {@code api.report.InspectReport} record is built from it. It knows nothing of file formats
 * beyond the format's name.
 */
public record InspectReport(
        String format,
        List<Path> files,
        int tensorCount,
        long parameters,
        long tensorBytes,
        long weightBytes,
        Map<LayerKind, KindTotals> byKind,
        Map<DType, DTypeTotals> byDtype,
        Map<TensorRole, RoleTotals> byRole,
        long biasParameters,
        long embeddingParameters,
        List<BlockStack> blocks,
        List<Tensor> largest,
        List<String> other,
        Optional<TiedHead> tied,
        List<String> notes,
        List<Row> rows,
        Map<String, Object> metadata,
        List<PackedTotals> packed) {

    public record KindTotals(long parameters, long bytes, int tensors, long biasParameters) {}

    public record DTypeTotals(long parameters, long bytes, int tensors) {}

    public record RoleTotals(long elements, long bytes, int tensors) {}

    /**
     * The packed quantized weights of one layout (GPTQ 4-bit group 128, bitsandbytes NF4, ...): how many, the logical
     * parameters they stand for, their packed bytes and the bytes of the scales, zero points and indices beside them.
     */
    public record PackedTotals(
            String layout, String method, int bits, int tensors, long parameters, long bytes, long overheadBytes) {
        /** Stored bits per logical weight, the packed values and their overhead together (~4.1-4.6 for 4-bit). */
        public double bitsPerWeight() {
            return parameters == 0 ? 0 : (bytes + overheadBytes) * 8.0 / parameters;
        }
    }

    /** A run of repeated blocks under one container (e.g. {@code model.layers}, {@code blk}). */
    public record BlockStack(String container, int blocks, long minParameters, long maxParameters, long parameters) {}

    /** One tensor with its classification, for {@code --tensors}. */
    public record Row(Tensor tensor, Classification classification) {}

    private static final int LARGEST = 10;
    private static final int OTHER_LISTED = 20;

    public static InspectReport of(TensorInventory inv) {
        return of(inv, new TensorClassifier());
    }

    public static InspectReport of(TensorInventory inv, TensorClassifier classifier) {
        List<Tensor> tensors = inv.tensors();
        List<Classification> all = classifier.classifyAll(inv);
        Tally tally = new Tally();
        for (int i = 0; i < tensors.size(); i++) {
            tally.add(tensors.get(i), all.get(i));
        }
        tally.flushRun();
        List<Classification> classes = List.copyOf(all);
        List<Row> rows = new Rows(tensors, classes);
        Map<LayerKind, long[]> kind = tally.kind;
        Map<DType, long[]> dtype = tally.dtype;
        Map<TensorRole, long[]> role = tally.role;
        Map<String, TreeMap<Integer, Long>> stacks = tally.stacks;
        Map<String, PackedTotals> packed = tally.packed;
        List<String> other = tally.other;
        long bias = tally.bias;
        long embedding = tally.embedding;
        long weightBytes = tally.weightBytes;
        TopTensors largest = tally.largest;

        Map<LayerKind, KindTotals> byKind = new LinkedHashMap<>();
        kind.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .forEach(e -> byKind.put(
                        e.getKey(),
                        new KindTotals(e.getValue()[0], e.getValue()[1], (int) e.getValue()[2], e.getValue()[3])));
        Map<DType, DTypeTotals> byDtype = new LinkedHashMap<>();
        dtype.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .forEach(e -> byDtype.put(
                        e.getKey(), new DTypeTotals(e.getValue()[0], e.getValue()[1], (int) e.getValue()[2])));
        Map<TensorRole, RoleTotals> byRole = new EnumMap<>(TensorRole.class);
        role.forEach((k, v) -> byRole.put(k, new RoleTotals(v[0], v[1], (int) v[2])));

        List<BlockStack> blocks = new ArrayList<>();
        stacks.forEach((container, perBlock) -> {
            if (perBlock.size() >= 2) {
                long min = perBlock.values().stream()
                        .mapToLong(Long::longValue)
                        .min()
                        .orElse(0);
                long max = perBlock.values().stream()
                        .mapToLong(Long::longValue)
                        .max()
                        .orElse(0);
                long sum = perBlock.values().stream().mapToLong(Long::longValue).sum();
                blocks.add(new BlockStack(container, perBlock.size(), min, max, sum));
            }
        });

        Optional<TiedHead> tied = TiedHead.detect(inv, classes);
        List<String> notes = new ArrayList<>(inv.notes());
        tied.filter(TiedHead::tied).ifPresent(t -> notes.add("tied head: " + t.reason()));
        long quantized = tally.quantized;
        if (quantized > 0) {
            notes.add(quantized + " of " + tensors.size() + " tensors are block-quantized; bytes include their "
                    + "in-block scales");
        }
        RoleTotals overhead = byRole.get(TensorRole.QUANT_OVERHEAD);
        if (overhead != null) {
            long allBytes = inv.tensorBytes();
            notes.add(overhead.tensors() + " tensors (" + Units.bytes(overhead.bytes())
                    + (allBytes == 0
                            ? ""
                            : ", " + Units.percent((double) overhead.bytes() / allBytes) + " of tensor bytes")
                    + ") are quantization scales/zero points: overhead, not parameters");
        }
        RoleTotals constants = byRole.get(TensorRole.CONSTANT);
        if (constants != null) {
            notes.add(constants.tensors() + " tensors (" + Units.exact(constants.elements())
                    + " elements) are graph constants such as shapes, not parameters");
        }
        RoleTotals buffers = byRole.get(TensorRole.BUFFER);
        if (buffers != null) {
            notes.add(buffers.tensors() + " tensors (" + Units.exact(buffers.elements())
                    + " elements) are buffers (running statistics, rotary tables), not parameters");
        }
        RoleTotals optimizer = byRole.get(TensorRole.OPTIMIZER_STATE);
        if (optimizer != null) {
            notes.add(optimizer.tensors() + " tensors (" + Units.bytes(optimizer.bytes())
                    + ") are optimizer state, not model weights");
        }
        long params = inv.parameters();
        return new InspectReport(
                inv.format().displayName(),
                inv.files(),
                tensors.size(),
                params,
                inv.tensorBytes(),
                weightBytes,
                byKind,
                byDtype,
                byRole,
                bias,
                embedding,
                blocks,
                largest.inOrder(),
                other.size() > OTHER_LISTED ? other.subList(0, OTHER_LISTED) : other,
                tied,
                notes,
                rows,
                inv.metadata(),
                List.copyOf(packed.values()));
    }

    /**
     * The rows for {@code --tensors}, made when read: a tensor and its classification side by side, so a report nobody
     * lists the tensors of (every inspect without {@code --tensors}) allocates no row per tensor.
     */
    private static final class Rows extends AbstractList<Row> implements RandomAccess {
        private final List<Tensor> tensors;
        private final List<Classification> classes;

        Rows(List<Tensor> tensors, List<Classification> classes) {
            this.tensors = tensors;
            this.classes = classes;
        }

        @Override
        public Row get(int index) {
            return new Row(tensors.get(index), classes.get(index));
        }

        @Override
        public int size() {
            return classes.size();
        }
    }

    /**
     * The per-tensor sums of {@link #of}. A method called per tensor rather than a loop body: C1 compiles a method
     * after a few hundred calls, but a loop inside one call only after Tier3BackEdgeThreshold back edges (60,000 unless
     * the launcher lowers it), so a one-shot inspect of a 45k-tensor checkpoint ran this whole loop in the interpreter
     * (issue 12).
     */
    private static final class Tally {
        final Map<LayerKind, long[]> kind = new EnumMap<>(LayerKind.class);
        final Map<DType, long[]> dtype = new EnumMap<>(DType.class);
        final Map<TensorRole, long[]> role = new EnumMap<>(TensorRole.class);
        final Map<String, TreeMap<Integer, Long>> stacks = new LinkedHashMap<>();
        final Map<String, PackedTotals> packed = new LinkedHashMap<>();
        final List<String> other = new ArrayList<>();
        final TopTensors largest = new TopTensors(LARGEST);
        long bias;
        long embedding;
        long weightBytes;
        long quantized;
        private final BlockLocator blocks = new BlockLocator();
        private String runContainer;
        private int runBlock = -1;
        private long runParameters;

        void add(Tensor t, Classification c) {
            long[] r = role.computeIfAbsent(t.role(), k -> new long[3]);
            r[0] = Math.addExact(r[0], t.elements());
            r[1] = Math.addExact(r[1], t.bytes());
            r[2]++;
            if (t.dtype().isQuantized()) {
                quantized++;
            }
            if (t.role() != TensorRole.WEIGHT) {
                largest.offer(t);
                return;
            }
            weightBytes = Math.addExact(weightBytes, t.bytes());
            // An if, not ifPresent: its lambda captures t, and C1 allocates one per tensor even when nothing is packed.
            if (t.packing().isPresent()) {
                Packing p = t.packing().get();
                packed.merge(
                        p.layout(),
                        new PackedTotals(
                                p.layout(), p.method(), p.bits(), 1, t.parameters(), t.bytes(), p.overheadBytes()),
                        (a, b) -> new PackedTotals(
                                a.layout(),
                                a.method(),
                                a.bits(),
                                a.tensors() + b.tensors(),
                                Math.addExact(a.parameters(), b.parameters()),
                                Math.addExact(a.bytes(), b.bytes()),
                                Math.addExact(a.overheadBytes(), b.overheadBytes())));
            }
            long[] k = kind.computeIfAbsent(c.kind(), x -> new long[4]);
            k[0] = Math.addExact(k[0], t.parameters());
            k[1] = Math.addExact(k[1], t.bytes());
            k[2]++;
            long[] d = dtype.computeIfAbsent(t.dtype(), x -> new long[3]);
            d[0] = Math.addExact(d[0], t.parameters());
            d[1] = Math.addExact(d[1], t.bytes());
            d[2]++;
            if (c.bias()) {
                bias = Math.addExact(bias, t.parameters());
                k[3] = Math.addExact(k[3], t.parameters());
            }
            if (c.kind() == LayerKind.EMBEDDING) {
                embedding = Math.addExact(embedding, t.parameters());
            }
            if (c.kind() == LayerKind.OTHER) {
                other.add(t.name());
            }
            long at = blocks.locate(t.name());
            if (at >= 0) {
                int end = (int) (at >>> 32);
                // Consecutive tensors share a container and block: sum the run, touch the maps once per run.
                if (runContainer == null
                        || runContainer.length() != end
                        || !t.name().startsWith(runContainer)
                        || runBlock != (int) at) {
                    flushRun();
                    runContainer = t.name().substring(0, end);
                    runBlock = (int) at;
                    runParameters = 0;
                }
                runParameters = Math.addExact(runParameters, t.parameters());
            }
            largest.offer(t);
        }

        void flushRun() {
            if (runContainer != null) {
                stacks.computeIfAbsent(runContainer, x -> new TreeMap<>())
                        .merge(runBlock, runParameters, Math::addExact);
            }
        }
    }

    /** Parameters that are not in embedding tables (the count scaling laws and FLOPs use). */
    public long nonEmbeddingParameters() {
        return parameters - embeddingParameters;
    }

    /** Stored bits per parameter over weight tensors (quantization overhead tensors included when present). */
    public double bitsPerParameter() {
        if (parameters == 0) {
            return 0;
        }
        long overhead = Optional.ofNullable(byRole.get(TensorRole.QUANT_OVERHEAD))
                .map(RoleTotals::bytes)
                .orElse(0L);
        return (weightBytes + overhead) * 8.0 / parameters;
    }

    /** Bytes of quantization overhead (scales, zero points, indices, code books), 0 when there is none. */
    public long quantOverheadBytes() {
        return Optional.ofNullable(byRole.get(TensorRole.QUANT_OVERHEAD))
                .map(RoleTotals::bytes)
                .orElse(0L);
    }

    /** Tensors that landed in OTHER, in total (the list itself is capped). */
    public long otherParameters() {
        KindTotals k = byKind.get(LayerKind.OTHER);
        return k == null ? 0 : k.parameters();
    }
}
