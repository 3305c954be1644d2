package dev.heft.core.plan;

import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.compress.PlannedTensor;
import dev.heft.core.compress.StoredTensor;
import dev.heft.core.compress.TensorSpec;
import dev.heft.core.hardware.Device;
import dev.heft.core.memory.MemoryPart.Component;
import dev.heft.core.memory.RuntimeMemory;
import dev.heft.core.model.ModelProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a model between an accelerator and host memory the way llama.cpp does when it does not fit on the GPU alone
 * (src/llama-model.cpp {@code load_tensors}):
 * <ul>
 *   <li>{@code -ngl N} puts the output layer and the last {@code N - 1} repeating layers (their weights and, unless
 *       {@code --no-kv-offload}, their KV cache) on the GPU; the token embedding always stays in host memory ("there
 *       is very little benefit to offloading the input layer"). The GPU also holds the compute buffer and the backend
 *       context.</li>
 *   <li>{@code --n-cpu-moe K} (an {@code -ot} override of {@code ffn_(up|down|gate)_exps} to the CPU for the first K
 *       layers) keeps attention, shared experts, norms and the KV cache on the GPU and only the routed experts of K
 *       layers in host memory: the experts are most of a MoE's bytes but only k of E are read per token.</li>
 *   <li>Unified memory (Apple silicon) is one pool: nothing to offload; the device's usable share already holds back
 *       what the OS keeps.</li>
 * </ul>
 * Layer bytes are the model's per-layer average at the chosen precision (llama-quantize may give a few layers larger
 * types, so a real split can differ by a layer).
 */
public final class Offload {
    private Offload() {}

    /** Bytes of the parts that llama.cpp places separately, at the chosen precision. */
    public record Parts(long weights, long tokenEmbedding, long outputLayer, long routedExperts) {
        public long repeating() {
            return Math.max(0, weights - tokenEmbedding - outputLayer);
        }
    }

    public static Parts parts(ModelProfile m, WeightPlan w) {
        long embd = 0;
        long out = 0;
        long experts = 0;
        if (w.plan().isPresent()) {
            for (PlannedTensor t : w.plan().get().tensors()) {
                long bytes = t.stored().stream().mapToLong(StoredTensor::bytes).sum();
                String n = t.name();
                if (isEmbedding(n)) {
                    embd += bytes;
                } else if (isOutput(n)) {
                    out += bytes;
                } else if (isExpert(n)) {
                    experts += bytes;
                }
            }
        } else {
            double perElement = w.parameters() == 0 ? 0 : (double) w.bytes() / w.parameters();
            for (TensorSpec t : m.tensors()) {
                long bytes = (long) (t.elements() * perElement);
                if (isEmbedding(t.name())) {
                    embd += bytes;
                } else if (isOutput(t.name())) {
                    out += bytes;
                } else if (isExpert(t.name())) {
                    experts += bytes;
                }
            }
        }
        if (out == 0) {
            out = embd; // tied: llama.cpp duplicates token_embd as the output matrix (TENSOR_DUPLICATED)
        }
        return new Parts(w.bytes(), embd, out, experts);
    }

    static boolean isEmbedding(String n) {
        return n.startsWith("token_embd")
                || n.endsWith("embed_tokens.weight")
                || n.equals("wte.weight")
                || n.endsWith(".wte.weight");
    }

    static boolean isOutput(String n) {
        return n.startsWith("output.")
                || n.startsWith("lm_head")
                || n.startsWith("output_norm")
                || n.endsWith(".norm.weight") && !n.contains("layers.");
    }

    static boolean isExpert(String n) {
        return n.contains("_exps") || n.contains(".experts.") && !n.contains("shared");
    }

    /**
     * @param full     llama.cpp's estimate with everything on the GPU
     * @param hostUsable host memory available, when a host device is known (0: not checked)
     */
    public static OffloadPlan plan(
            TransformerShape s, Parts p, RuntimeMemory full, Device d, boolean kvOffload, long hostUsable) {
        long usable = d.usableBytes();
        List<String> assumptions = new ArrayList<>();
        long layers = Math.max(1, s.layers());
        long kv = full.estimate().bytes(Component.KV_CACHE);
        long fixed =
                full.estimate().bytes(Component.ACTIVATIONS) + full.estimate().bytes(Component.OVERHEAD);
        long outputBuffer = full.estimate().bytes(Component.LOGITS);
        long kvPerLayer = kv / layers;
        long layerWeights = p.repeating() / layers;
        long allOnDevice = fixed + p.outputLayer() + p.repeating() + (kvOffload ? kv : 0);
        if (allOnDevice <= usable) {
            return new OffloadPlan(
                    OffloadPlan.Kind.ALL_ON_DEVICE,
                    layers + 1,
                    layers + 1,
                    0,
                    allOnDevice,
                    p.tokenEmbedding() + outputBuffer + (kvOffload ? 0 : kv),
                    "-ngl " + (layers + 1),
                    assumptions);
        }
        assumptions.add("llama.cpp split: compute buffer " + full.estimate().bytes(Component.ACTIVATIONS)
                + " B and context on the GPU, the token embedding in host memory; "
                + String.format(Locale.ROOT, "%.1f MiB", layerWeights / 1048576.0) + " of weights and "
                + String.format(Locale.ROOT, "%.1f MiB", kvPerLayer / 1048576.0) + " of KV cache per layer (average)");
        if (s.moe().isPresent() && p.routedExperts() > 0) {
            long sparse = Math.max(1, s.moe().get().sparseLayers().size());
            long expertsPerLayer = p.routedExperts() / sparse;
            long over = allOnDevice - usable;
            long k = Math.ceilDiv(over, Math.max(1, expertsPerLayer));
            if (k <= sparse) {
                long device = allOnDevice - k * expertsPerLayer;
                long host = p.tokenEmbedding() + outputBuffer + k * expertsPerLayer + (kvOffload ? 0 : kv);
                assumptions.add(
                        "MoE expert offload: " + String.format(Locale.ROOT, "%.1f MiB", expertsPerLayer / 1048576.0)
                                + " of routed experts per sparse layer; the experts of " + k + " layers stay in "
                                + "host memory");
                return checkHost(
                        new OffloadPlan(
                                OffloadPlan.Kind.MOE_EXPERTS,
                                layers + 1,
                                layers + 1,
                                k,
                                device,
                                host,
                                "-ngl " + (layers + 1) + " --n-cpu-moe " + k,
                                assumptions),
                        hostUsable);
            }
        }
        long perLayer = layerWeights + (kvOffload ? kvPerLayer : 0);
        long base = fixed + p.outputLayer();
        if (base > usable) {
            return new OffloadPlan(
                    OffloadPlan.Kind.NONE, 0, layers + 1, 0, 0, full.estimate().peak(), "-ngl 0", assumptions);
        }
        long n = Math.min(layers, (usable - base) / Math.max(1, perLayer)); // repeating layers on the GPU
        long device = base + n * perLayer;
        long host =
                p.weights() - p.outputLayer() - n * layerWeights + kv - (kvOffload ? n * kvPerLayer : 0) + outputBuffer;
        return checkHost(
                new OffloadPlan(
                        OffloadPlan.Kind.LAYERS, n + 1, layers + 1, 0, device, host, "-ngl " + (n + 1), assumptions),
                hostUsable);
    }

    private static OffloadPlan checkHost(OffloadPlan p, long hostUsable) {
        if (hostUsable > 0 && p.hostBytes() > hostUsable) {
            List<String> a = new ArrayList<>(p.assumptions());
            a.add("host memory too small: needs " + p.hostBytes() + " B, " + hostUsable + " B usable");
            return new OffloadPlan(OffloadPlan.Kind.NONE, 0, p.totalLayers(), 0, 0, p.hostBytes(), p.flag(), a);
        }
        return p;
    }
}
