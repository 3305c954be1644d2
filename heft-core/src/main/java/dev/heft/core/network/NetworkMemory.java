package dev.heft.core.network;

import dev.heft.core.arch.ArchitectureCounts;
import dev.heft.core.arch.torch.LayerTrace;
import dev.heft.core.arch.torch.Module;
import dev.heft.core.arch.torch.ModuleTree;
import dev.heft.core.arch.torch.Shape;
import dev.heft.core.hardware.Device;
import dev.heft.core.memory.MemoryPart;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Inference memory of a torch.nn network at one precision and batch: weights, buffers, the input batch, the peak of
 * live activations over the forward pass ({@link LayerTrace}), and on a GPU the CUDA context.
 *
 * @param precision   the deployment precision
 * @param input       the input shape, batch first
 * @param parts       each part with its formula
 * @param total       the sum of the parts
 * @param activationPerImage peak activation bytes at batch 1 (activations grow linearly with the batch)
 * @param assumptions what the estimate takes for granted
 */
public record NetworkMemory(
        NetworkPrecision precision,
        Shape input,
        List<MemoryPart> parts,
        long total,
        long activationPerImage,
        List<String> assumptions) {
    /**
     * The CUDA context PyTorch creates before any allocation: 552,402,944 bytes measured on the H200
     * (../shared/ground-truth/gpu-measurements.json, driver_used_at_start_incl_context).
     */
    public static final long CUDA_CONTEXT_BYTES = 552_402_944L;

    public NetworkMemory {
        parts = List.copyOf(parts);
        assumptions = List.copyOf(assumptions);
    }

    /** The estimate for {@code root} at {@code input} (batch first); {@code device} decides the runtime overhead. */
    public static NetworkMemory estimate(Module root, Shape input, NetworkPrecision p, Device device) {
        ArchitectureCounts counts = ModuleTree.counts(root);
        LayerTrace trace = ModuleTree.trace(root, input, p.activationBytes());
        Shape one = input.with(0, 1);
        long perImage = ModuleTree.trace(root, one, p.activationBytes()).peakBytes();
        List<MemoryPart> parts = new ArrayList<>();
        long weights = Math.multiplyExact(counts.parameters(), (long) p.weightBytes());
        parts.add(new MemoryPart(
                MemoryPart.Component.WEIGHTS,
                weights,
                String.format(
                        Locale.ROOT, "%,d parameters x %d B (%s)", counts.parameters(), p.weightBytes(), p.key())));
        long buffers = Math.multiplyExact(counts.buffers(), (long) p.weightBytes());
        if (buffers > 0) {
            parts.add(new MemoryPart(
                    MemoryPart.Component.WEIGHTS,
                    buffers,
                    String.format(
                            Locale.ROOT,
                            "%,d buffer elements (BatchNorm running statistics) x %d B",
                            counts.buffers(),
                            p.weightBytes())));
        }
        long inputBytes = Math.multiplyExact(input.numel(), (long) p.activationBytes());
        parts.add(new MemoryPart(
                MemoryPart.Component.ACTIVATIONS,
                inputBytes,
                String.format(Locale.ROOT, "input %s x %d B", input.dims(), p.activationBytes())));
        parts.add(new MemoryPart(
                MemoryPart.Component.ACTIVATIONS,
                trace.peakBytes(),
                String.format(
                        Locale.ROOT,
                        "peak of live activations over the forward pass: %,d B per image x batch %d%s",
                        perImage,
                        input.dim(0),
                        trace.peakBytes() == perImage * input.dim(0) ? "" : " (not exactly linear here)")));
        List<String> assumptions = new ArrayList<>();
        assumptions.add(p.meaning());
        assumptions.add("inference in eval mode under torch.no_grad(): no autograd graph, so an activation is freed "
                + "as soon as no Python variable holds it (nn.Sequential rebinding, a block's locals when it "
                + "returns); in-place activations, dropout and views add nothing; the output is counted, and the "
                + "input as its own part");
        assumptions.add("not counted: workspaces a kernel allocates and frees inside one op (cuDNN, im2col), the "
                + "allocator's rounding and caching; measured exactly against eager PyTorch on CPU for torchvision "
                + "models (scripts/vision_layers_ground_truth.py)");
        if (device != null && holdsCudaContext(device)) {
            parts.add(new MemoryPart(
                    MemoryPart.Component.OVERHEAD,
                    CUDA_CONTEXT_BYTES,
                    "CUDA context PyTorch creates (552,402,944 B measured on an H200)"));
        }
        long total = 0;
        for (MemoryPart part : parts) {
            total = Math.addExact(total, part.bytes());
        }
        return new NetworkMemory(p, input, parts, total, perImage, assumptions);
    }

    /** Whether PyTorch creates a CUDA context on {@code d}: GPUs, and custom devices (described as GPUs are). */
    public static boolean holdsCudaContext(Device d) {
        return d.category().isGpu() || d.category() == dev.heft.core.hardware.DeviceCategory.CUSTOM;
    }

    public long weightBytes() {
        return parts.stream()
                .filter(x -> x.component() == MemoryPart.Component.WEIGHTS)
                .mapToLong(MemoryPart::bytes)
                .sum();
    }

    /**
     * The largest batch whose total fits in {@code usable} bytes: everything but the weights and overhead grows
     * linearly with the batch; 0 when even one image does not fit.
     */
    public long maxBatch(long usable) {
        long fixed = parts.stream()
                .filter(x -> x.component() != MemoryPart.Component.ACTIVATIONS)
                .mapToLong(MemoryPart::bytes)
                .sum();
        long perImageAll =
                activationPerImage + Math.multiplyExact(input.with(0, 1).numel(), (long) precision.activationBytes());
        if (usable <= fixed || perImageAll <= 0) {
            return 0;
        }
        return Math.min((usable - fixed) / perImageAll, 1L << 31);
    }
}
