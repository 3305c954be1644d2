package dev.heft.core.network;

import dev.heft.core.arch.torch.LayerTrace;
import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.Efficiency;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Images per second of a torch.nn network on a device: a roofline per layer, summed. Each leaf layer call takes
 * {@code max(FLOPs / (peak x MATMUL), bytes / (bandwidth x STREAM)) + one kernel's fixed cost}, where bytes are its
 * own weights plus its input and output activations (eager execution: no fusion, each layer reads its input and
 * writes its output once). The factors are {@link Efficiency}'s, calibrated on the H200.
 *
 * @param batch            images per forward pass
 * @param flops            FLOPs of the pass (FlopCounterMode's count: matrix products and convolutions)
 * @param bytesMoved       weights, inputs and outputs every layer reads and writes
 * @param seconds          time of one forward pass
 * @param imagesPerSecond  batch / seconds
 * @param computeBoundShare share of the time in layers limited by compute rather than memory
 * @param assumptions      the factors and what they stand for
 */
public record NetworkSpeed(
        long batch,
        long flops,
        long bytesMoved,
        double seconds,
        double imagesPerSecond,
        double computeBoundShare,
        List<String> assumptions) {
    public NetworkSpeed {
        assumptions = List.copyOf(assumptions);
    }

    public static NetworkSpeed estimate(LayerTrace trace, NetworkPrecision p, Device d, long batch) {
        if (!d.ratesKnown()) {
            throw new dev.heft.core.error.InvalidInputException(
                    d.name() + ": memory bandwidth and throughput are " + "unknown, so no speed can be estimated");
        }
        double peak = d.peakFlopsFor(p.key()) * Efficiency.MATMUL;
        double bw = d.bandwidth() * Efficiency.STREAM;
        double kernel = Efficiency.kernelSeconds(d.category());
        double total = 0;
        double computeBound = 0;
        long bytes = 0;
        long flops = 0;
        for (LayerTrace.Row r : trace.rows()) {
            if (!r.leaf()) {
                continue;
            }
            long moved = Math.addExact(
                    Math.addExact(r.inputBytes(), r.outputBytes()),
                    Math.multiplyExact(r.ownParameters(), (long) p.weightBytes()));
            double compute = r.flops() / peak;
            double memory = moved / bw;
            double t = Math.max(compute, memory) + kernel;
            total += t;
            if (compute > memory) {
                computeBound += t;
            }
            bytes = Math.addExact(bytes, moved);
            flops = Math.addExact(flops, r.flops());
        }
        List<String> a = new ArrayList<>();
        a.add(String.format(
                Locale.ROOT,
                "%s at %.1f TFLOP/s peak%s x %.3f matmul efficiency (H200 bf16 8192^3 "
                        + "measurement); convolutions rarely reach a large GEMM's efficiency, so compute-bound layers are "
                        + "optimistic",
                p.key(),
                d.peakFlopsFor(p.key()) / 1e12,
                d.executesAs(p.key()).equals(p.key()) ? "" : " (" + d.executesAs(p.key()) + " units)",
                Efficiency.MATMUL));
        a.add(String.format(
                Locale.ROOT,
                "%.0f GB/s x %.3f stream efficiency (H200 copy measurement); %.2f us per "
                        + "layer call (kernel launch and tail)",
                d.bandwidth() / 1e9,
                Efficiency.STREAM,
                kernel * 1e6));
        a.add("eager execution: each layer reads its input and its weights and writes its output once; fused "
                + "runtimes (TensorRT, torch.compile) move fewer bytes and run faster; element-wise ops written in "
                + "forward code (residual adds, concatenations) are not counted");
        return new NetworkSpeed(batch, flops, bytes, total, batch / total, total == 0 ? 0 : computeBound / total, a);
    }
}
