package dev.heft.core.service;

import dev.heft.core.api.report.FitReport;
import dev.heft.core.api.report.MemoryPartEntry;
import dev.heft.core.api.report.NetworkFitReport;
import dev.heft.core.api.report.NetworkMemoryReport;
import dev.heft.core.api.report.NetworkSpeedReport;
import dev.heft.core.api.request.NetworkFitRequest;
import dev.heft.core.api.request.NetworkMemoryRequest;
import dev.heft.core.api.request.NetworkSpeedRequest;
import dev.heft.core.arch.torch.LayerTrace;
import dev.heft.core.arch.torch.Module;
import dev.heft.core.arch.torch.ModuleTree;
import dev.heft.core.arch.torch.Shape;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.DeviceRegistry;
import dev.heft.core.memory.MemoryPart;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.network.NetworkMemory;
import dev.heft.core.network.NetworkPrecision;
import dev.heft.core.network.NetworkSpeed;
import dev.heft.core.report.Units;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code memory}, {@code fit} and {@code speed} for torch.nn networks (torchvision models, layer specs): their own
 * precisions (fp32, fp16, bf16, int8, fp8), activation memory from the layer graph ({@link NetworkMemory}), images per
 * second from a per-layer roofline ({@link NetworkSpeed}).
 */
public final class NetworkServices {
    private NetworkServices() {}

    public static NetworkMemoryReport memory(
            ResolvedModel.Network n, NetworkMemoryRequest request, DeviceRegistry devices) {
        Shape in = input(n, request.input(), request.batch());
        return sized(in, () -> {
            Module root = n.module().apply(in);
            Optional<Device> budgetDevice = request.budget().flatMap(b -> MemoryService.budgetDevice(b, devices));
            NetworkPrecision p = precision(request.dtype());
            NetworkMemory m = NetworkMemory.estimate(root, in, p, budgetDevice.orElse(null));
            Optional<Long> budget = request.budget().map(b -> MemoryService.budgetBytes(b, devices));
            Optional<Long> maxBatch = budget.map(m::maxBatch);
            Optional<List<NetworkMemoryReport.PrecisionRow>> table = request.precisions()
                    .map(list -> {
                        List<NetworkMemoryReport.PrecisionRow> rows = new ArrayList<>();
                        for (NetworkPrecision q : list.isEmpty() ? NetworkPrecision.DEFAULTS : parse("dtypes", list)) {
                            NetworkMemory x =
                                    q == p ? m : NetworkMemory.estimate(root, in, q, budgetDevice.orElse(null));
                            rows.add(new NetworkMemoryReport.PrecisionRow(
                                    q.key(), bits(q), x.weightBytes(), x.activationPerImage(), x.total()));
                        }
                        return rows;
                    });
            List<MemoryPartEntry> parts = m.parts().stream()
                    .map(x -> new MemoryPartEntry(x.component().key(), x.bytes(), x.formula()))
                    .toList();
            return new NetworkMemoryReport(
                    n.label(),
                    NetworkMemoryReport.KIND,
                    ModuleTree.counts(root).parameters(),
                    p.key(),
                    bits(p),
                    in.dims(),
                    in.dim(0),
                    m.weightBytes(),
                    bytes(m, MemoryPart.Component.ACTIVATIONS),
                    bytes(m, MemoryPart.Component.OVERHEAD),
                    m.activationPerImage(),
                    parts,
                    m.total(),
                    m.assumptions(),
                    budget,
                    maxBatch,
                    table);
        });
    }

    public static NetworkFitReport fit(ResolvedModel.Network n, NetworkFitRequest request, DeviceRegistry registry) {
        Shape in = input(n, request.input(), request.batch());
        List<NetworkPrecision> precisions = parse("dtypes", request.dtypes());
        List<Device> devices =
                request.devices().stream().map(d -> registry.find(d.trim())).toList();
        return sized(in, () -> {
            Module root = n.module().apply(in);
            // Memory differs between devices only by the CUDA context, speed by device: trace each precision once.
            record MemoryKey(NetworkPrecision precision, boolean cudaContext) {}
            Map<MemoryKey, NetworkMemory> memory = new HashMap<>();
            Map<NetworkPrecision, LayerTrace> traces = new EnumMap<>(NetworkPrecision.class);
            List<NetworkFitReport.Row> rows = new ArrayList<>();
            List<FitReport.Verdict> verdicts = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            for (Device d : devices) {
                List<NetworkFitReport.Row> onDevice = new ArrayList<>();
                for (NetworkPrecision p : precisions) {
                    NetworkMemory m = memory.computeIfAbsent(
                            new MemoryKey(p, NetworkMemory.holdsCudaContext(d)),
                            k -> NetworkMemory.estimate(root, in, p, d));
                    boolean fits = m.total() <= d.usableBytes();
                    Optional<Double> ips = Optional.empty();
                    Optional<String> noSpeed = Optional.empty();
                    if (!fits) {
                        noSpeed = Optional.of("batch " + in.dim(0) + " does not fit: no speed for what does not run ("
                                + maxBatchText(m.maxBatch(d.usableBytes())) + ")");
                    } else if (!d.ratesKnown()) {
                        noSpeed = Optional.of("memory bandwidth and throughput of " + d.id() + " are unknown ('heft "
                                + "devices' says what was detected)");
                    } else {
                        LayerTrace trace =
                                traces.computeIfAbsent(p, q -> ModuleTree.trace(root, in, q.activationBytes()));
                        ips = Optional.of(FitService.round1(
                                NetworkSpeed.estimate(trace, p, d, in.dim(0)).imagesPerSecond()));
                    }
                    if (p == NetworkPrecision.BF16) {
                        d.substitutionNote(p.key())
                                .filter(x -> !notes.contains(x))
                                .ifPresent(notes::add);
                    }
                    onDevice.add(new NetworkFitReport.Row(
                            d.id(),
                            p.key(),
                            fits,
                            m.weightBytes(),
                            m.total(),
                            d.usableBytes(),
                            d.usableBytes() - m.total(),
                            m.maxBatch(d.usableBytes()),
                            ips,
                            noSpeed,
                            fits ? "" : "needs " + m.total() + " B, " + d.usableBytes() + " B usable"));
                }
                onDevice.stream()
                        .filter(r -> !request.onlyFitting() || r.fits())
                        .forEach(rows::add);
                verdicts.add(verdict(d.id(), onDevice, in.dim(0)));
            }
            return new NetworkFitReport(
                    n.label(),
                    NetworkMemoryReport.KIND,
                    ModuleTree.counts(root).parameters(),
                    in.dims(),
                    in.dim(0),
                    rows,
                    verdicts,
                    notes);
        });
    }

    public static NetworkSpeedReport speed(
            ResolvedModel.Network n, NetworkSpeedRequest request, DeviceRegistry registry) {
        Device d = registry.find(request.device());
        if (!d.ratesKnown()) {
            throw SpeedService.unknownRates(d);
        }
        Shape in = input(n, request.input(), request.batch());
        NetworkPrecision p = precision(request.dtype());
        return sized(in, () -> {
            Module root = n.module().apply(in);
            NetworkMemory m = NetworkMemory.estimate(root, in, p, d);
            NetworkSpeed s = NetworkSpeed.estimate(ModuleTree.trace(root, in, p.activationBytes()), p, d, in.dim(0));
            boolean fits = m.total() <= d.usableBytes();
            Optional<String> noSpeed = fits
                    ? Optional.empty()
                    : Optional.of("batch " + in.dim(0) + " at " + p.key()
                            + " needs " + Units.bytes(m.total()) + " and " + d.name() + " has "
                            + Units.bytes(d.usableBytes())
                            + " usable: no speed for what does not fit (" + maxBatchText(m.maxBatch(d.usableBytes()))
                            + ")");
            List<String> assumptions = new ArrayList<>(s.assumptions());
            d.substitutionNote(p.key()).ifPresent(assumptions::add);
            return new NetworkSpeedReport(
                    n.label(),
                    NetworkMemoryReport.KIND,
                    d.id(),
                    d.name(),
                    p.key(),
                    d.executesAs(p.key()),
                    in.dims(),
                    in.dim(0),
                    s.flops(),
                    s.bytesMoved(),
                    m.total(),
                    d.usableBytes(),
                    (long) d.bandwidth(),
                    d.peakFlopsFor(p.key()) / 1e12,
                    fits ? Optional.of(s.seconds()) : Optional.empty(),
                    fits ? Optional.of(FitService.round1(s.imagesPerSecond())) : Optional.empty(),
                    fits ? Optional.of(Math.round(s.computeBoundShare() * 1000) / 1000.0) : Optional.empty(),
                    assumptions,
                    noSpeed);
        });
    }

    /** The input a request runs the network at: the given shape or the model's own, with the batch replaced. */
    static Shape input(ResolvedModel.Network n, Optional<List<Long>> input, Optional<Long> batch) {
        Shape base = input.map(Shape::new)
                .or(n::defaultInput)
                .orElseThrow(() -> new InvalidInputException(n.label()
                        + ": the layer spec gives no \"input\" shape, so activation memory and speed cannot be "
                        + "estimated (give --input N,C,H,W, or add \"input\": [1, 3, 224, 224] to the spec)"));
        if (base.rank() == 0 || base.dims().contains(0L)) {
            throw new InvalidInputException(
                    "input: every dimension must be at least 1, batch first; got " + base.dims());
        }
        return batch.map(b -> base.with(0, b)).orElse(base);
    }

    /** Runs a sizing whose products may overflow 64 bits at an absurd input: one line, never a stack trace. */
    private static <T> T sized(Shape in, Supplier<T> work) {
        try {
            return work.get();
        } catch (ArithmeticException e) {
            throw new InvalidInputException("input " + in.dims() + ": the forward pass's sizes overflow 64 bits", e);
        }
    }

    private static NetworkPrecision precision(Optional<String> dtype) {
        return dtype.map(d -> parse("dtype", List.of(d)).getFirst()).orElse(NetworkPrecision.FP32);
    }

    private static List<NetworkPrecision> parse(String option, List<String> names) {
        List<NetworkPrecision> out = new ArrayList<>();
        for (String name : names) {
            NetworkPrecision p;
            try {
                p = NetworkPrecision.parse(name);
            } catch (InvalidInputException e) {
                throw new InvalidInputException(option + ": " + e.getMessage(), e);
            }
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private static double bits(NetworkPrecision p) {
        return p.weightBytes() * 8.0;
    }

    private static long bytes(NetworkMemory m, MemoryPart.Component c) {
        return m.parts().stream()
                .filter(x -> x.component() == c)
                .mapToLong(MemoryPart::bytes)
                .sum();
    }

    private static String maxBatchText(long maxBatch) {
        return maxBatch == 0
                ? "one image does not fit at this precision"
                : "up to batch " + Units.exact(maxBatch) + " fits";
    }

    /**
     * One device's answer: the most precise precision that fits and how far its batch goes, and the fastest; or the
     * nearest miss.
     */
    private static FitReport.Verdict verdict(String device, List<NetworkFitReport.Row> rows, long batch) {
        Comparator<NetworkFitReport.Row> precise = Comparator.comparing(r -> NetworkPrecision.parse(r.dtype()));
        Optional<NetworkFitReport.Row> best =
                rows.stream().filter(NetworkFitReport.Row::fits).min(precise);
        if (best.isPresent()) {
            NetworkFitReport.Row b = best.get();
            StringBuilder text =
                    new StringBuilder("fits at " + b.dtype() + " up to batch " + Units.exact(b.maxBatch()));
            b.imagesPerS()
                    .ifPresent(ips -> text.append(" (")
                            .append(imagesPerSecond(ips))
                            .append(" at batch ")
                            .append(batch)
                            .append(')'));
            rows.stream()
                    .filter(r -> r.fits() && r.imagesPerS().isPresent())
                    .max(Comparator.comparing(r -> r.imagesPerS().get()))
                    .filter(f -> !f.dtype().equals(b.dtype())
                            && f.imagesPerS().get() > b.imagesPerS().orElse(0.0))
                    .ifPresent(f -> text.append("; fastest: ")
                            .append(f.dtype())
                            .append(", ")
                            .append(imagesPerSecond(f.imagesPerS().get())));
            return new FitReport.Verdict(device, "fits", text.toString());
        }
        NetworkFitReport.Row nearest = rows.stream()
                .min(Comparator.comparingLong(NetworkFitReport.Row::totalBytes))
                .orElseThrow();
        String text = nearest.maxBatch() > 0
                ? "batch " + batch + " does not fit; at " + nearest.dtype() + " up to batch "
                        + Units.exact(nearest.maxBatch()) + " does"
                : "does not fit: one image at " + nearest.dtype() + " needs more than the "
                        + Units.bytes(nearest.usableBytes()) + " usable";
        return new FitReport.Verdict(device, "does_not_fit", text);
    }

    private static String imagesPerSecond(double ips) {
        return Units.fixed(ips, ips >= 100 ? 0 : 1) + " images/s";
    }
}
