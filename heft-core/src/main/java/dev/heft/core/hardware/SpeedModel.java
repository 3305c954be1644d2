package dev.heft.core.hardware;

import dev.heft.core.arch.hf.TransformerShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Roofline speed estimates. Decode is memory-bound: each step reads every weight it uses once plus the KV cache, so
 * {@code time = bytes / (bandwidth x STREAM) + matrices x KERNEL_SECONDS}. Prefill is compute-bound:
 * {@code time = FLOPs / (peak x MATMUL)} (but never faster than reading the weights once). See {@link Efficiency}.
 */
public final class SpeedModel {
    private SpeedModel() {}

    /**
     * @param weightBytes    bytes of all weights at the chosen precision
     * @param matmulDtypeKey which peak applies (bf16, fp16, fp8, int8, fp32)
     * @param kvBytesPerTokenAllLayers KV bytes one token adds across layers (read back once per step)
     * @param matrices       weight matrices read per step (one kernel each): 7 per dense llama layer + head
     */
    public static SpeedEstimate estimate(
            TransformerShape s,
            long weightBytes,
            long totalParameters,
            Device d,
            String matmulDtypeKey,
            long batch,
            long context,
            long promptTokens,
            long kvBytesPerTokenAllLayers,
            long matrices) {
        List<String> assumptions = new ArrayList<>();
        double bytesPerParam = totalParameters == 0 ? 0 : (double) weightBytes / totalParameters;
        long readWeights = weightBytes;
        if (s.moe().isPresent()) {
            TransformerShape.Moe m = s.moe().get();
            // Expected distinct experts a batch of B tokens touches in a layer: E x (1 - (1 - k/E)^B).
            double touched = m.experts() * (1 - Math.pow(1 - (double) m.expertsPerToken() / m.experts(), batch));
            long expertParamsPerLayer = 3 * s.hiddenSize() * m.expertIntermediate();
            long allExpert =
                    expertParamsPerLayer * m.experts() * m.sparseLayers().size();
            long usedExpert =
                    (long) (expertParamsPerLayer * touched * m.sparseLayers().size());
            readWeights = (long) (weightBytes - (allExpert - usedExpert) * bytesPerParam);
            assumptions.add(String.format(
                    Locale.ROOT,
                    "MoE: a decode step at batch %d reads %.1f of %d experts per "
                            + "sparse layer (E x (1 - (1 - k/E)^B))",
                    batch,
                    touched,
                    m.experts()));
        }
        long kvRead = kvBytesPerTokenAllLayers * context * batch;
        long bytes = readWeights + kvRead;
        double bw = d.bandwidth() * Efficiency.STREAM;
        double step = bytes / bw + matrices * Efficiency.kernelSeconds(d.category());
        double peak = d.peakFlopsFor(matmulDtypeKey) * Efficiency.MATMUL;
        double flops = 0;
        long avgContext = promptTokens / 2;
        TransformerShape.FlopsPerToken f = s.flopsPerToken(Math.max(1, avgContext));
        flops = (double) f.total() * promptTokens * batch;
        double prefill = Math.max(peak > 0 ? flops / peak : Double.POSITIVE_INFINITY, weightBytes / bw);
        assumptions.add(String.format(
                Locale.ROOT,
                "stream efficiency %.3f of peak bandwidth and %.2f us per weight "
                        + "matrix per step (H200 copy and CUDA-graph GEMV measurements)",
                Efficiency.STREAM,
                Efficiency.kernelSeconds(d.category()) * 1e6));
        assumptions.add(String.format(
                Locale.ROOT,
                "matmul efficiency %.3f of peak dense %s throughput (H200 bf16 "
                        + "8192^3 measurement); prefill FLOPs = prompt x (2 x matmul weights + attention at the mean "
                        + "context)",
                Efficiency.MATMUL,
                matmulDtypeKey));
        assumptions.add("a well-implemented runtime (CUDA graphs, fused kernels); Python-bound loops such as plain "
                + "Hugging Face generate run several times slower");
        return new SpeedEstimate(
                bytes, step, batch / step, flops, prefill, promptTokens * batch / prefill, assumptions);
    }

    /** PCIe 4.0 x16: 31.5 GB/s per direction; 25 GB/s sustained host-to-device copies assumed (0.8 of it). */
    public static final double PCIE_BYTES_PER_SECOND = 25e9;

    /**
     * The same model with part of each decode step's reads served from host memory (llama.cpp with layers or experts
     * offloaded to the CPU). Layers run one after another, so the times add:
     * {@code device bytes / (device bandwidth x STREAM) + host bytes / (host bandwidth x STREAM) + kernels}. For prefill
     * llama.cpp copies the CPU-resident weights to the GPU for every micro-batch of 32 tokens or more
     * (ggml-backend's op offload), so each ubatch also pays {@code host weights / PCIe}.
     *
     * @param onDevice        the estimate as if everything were on the device
     * @param hostReadPerStep bytes a decode step reads from host memory (CPU layers' weights and KV, or the touched
     *                        experts of CPU-resident MoE layers)
     * @param hostWeights     weight bytes resident in host memory
     */
    public static SpeedEstimate split(
            SpeedEstimate onDevice,
            long hostReadPerStep,
            long hostWeights,
            Device device,
            Device host,
            long batch,
            long promptTokens,
            long ubatch) {
        List<String> assumptions = new ArrayList<>(onDevice.assumptions());
        long deviceRead = Math.max(0, onDevice.decodeBytesPerStep() - hostReadPerStep);
        double kernels = onDevice.decodeSecondsPerStep()
                - onDevice.decodeBytesPerStep() / (device.bandwidth() * Efficiency.STREAM);
        double step = deviceRead / (device.bandwidth() * Efficiency.STREAM)
                + hostReadPerStep / (host.bandwidth() * Efficiency.STREAM)
                + Math.max(0, kernels);
        long ubatches = Math.max(1, Math.ceilDiv(promptTokens * batch, Math.max(1, ubatch)));
        double prefill = onDevice.prefillSeconds() + ubatches * (hostWeights / PCIE_BYTES_PER_SECOND);
        assumptions.add(String.format(
                Locale.ROOT,
                "offloaded: %.2f GB per decode step read from host memory at "
                        + "%.0f GB/s (%s), %.2f GB from the device at %.0f GB/s",
                hostReadPerStep / 1e9,
                host.bandwidth() / 1e9,
                host.id(),
                deviceRead / 1e9,
                device.bandwidth() / 1e9));
        assumptions.add(String.format(
                Locale.ROOT,
                "prefill streams the %.2f GB of host-resident weights over PCIe "
                        + "4.0 x16 (%.0f GB/s sustained, assumed) once per %d-token micro-batch",
                hostWeights / 1e9,
                PCIE_BYTES_PER_SECOND / 1e9,
                ubatch));
        return new SpeedEstimate(
                onDevice.decodeBytesPerStep(),
                step,
                batch / step,
                onDevice.prefillFlops(),
                prefill,
                promptTokens * batch / prefill,
                assumptions);
    }
}
