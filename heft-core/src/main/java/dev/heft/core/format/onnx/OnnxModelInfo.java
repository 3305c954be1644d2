package dev.heft.core.format.onnx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an ONNX file says about itself beyond its tensors: IR version, producer, the operator sets it imports and how
 * often each operator appears (subgraphs included), plus how its quantized weights are stored.
 *
 * <p>{@link #toMetadata()} writes it into {@code TensorInventory.metadata} under {@code onnx.*} keys, and
 * {@link #fromMetadata(Map)} reads it back, so consumers of an inventory need not reparse the file.
 *
 * @param irVersion       {@code ModelProto.ir_version = 1}, or -1 when absent
 * @param producerName    {@code ModelProto.producer_name = 2}, "" when absent
 * @param producerVersion {@code ModelProto.producer_version = 3}, "" when absent
 * @param opsets          {@code ModelProto.opset_import = 8}: domain ("ai.onnx" for the default "") to version
 * @param ops             op type to node count, most frequent first; non-default domains are prefixed
 *                        ("com.microsoft:MatMulNBits")
 * @param quantization    the quantized weights' storage summary
 */
public record OnnxModelInfo(
        long irVersion,
        String producerName,
        String producerVersion,
        Map<String, Long> opsets,
        Map<String, Long> ops,
        Quantization quantization) {

    public static final String IR_VERSION = "onnx.ir_version";
    public static final String PRODUCER = "onnx.producer";
    public static final String PRODUCER_VERSION = "onnx.producer_version";
    public static final String OPSET_PREFIX = "onnx.opset.";
    public static final String OPS = "onnx.ops";
    public static final String QUANT_PARAMETERS = "onnx.quant.parameters";
    public static final String QUANT_BYTES = "onnx.quant.bytes";
    public static final String QUANT_OVERHEAD_BYTES = "onnx.quant.overhead_bytes";
    public static final String QUANT_BITS_PER_WEIGHT = "onnx.quant.bits_per_weight";

    public OnnxModelInfo {
        opsets = Collections.unmodifiableMap(new LinkedHashMap<>(opsets));
        ops = Collections.unmodifiableMap(new LinkedHashMap<>(ops));
    }

    /**
     * How the quantized weights are stored.
     *
     * @param parameters    logical parameters held by weights stored in an integer or packed type (a 4-bit value is
     *                      one parameter)
     * @param bytes         their stored bytes
     * @param overheadBytes stored bytes of scales, zero points and the like
     */
    public record Quantization(long parameters, long bytes, long overheadBytes) {
        public static final Quantization NONE = new Quantization(0, 0, 0);

        /** Effective bits per quantized weight, overhead included; 0 when nothing is quantized. */
        public double bitsPerWeight() {
            return parameters == 0 ? 0 : (bytes + overheadBytes) * 8.0 / parameters;
        }
    }

    /** Builds the op histogram, most frequent first and then by name, so reports read the same on every run. */
    static Map<String, Long> histogram(List<OnnxNode> nodes) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (OnnxNode n : nodes) {
            if (!n.inFunction()) {
                counts.merge(n.histogramKey(), 1L, Long::sum);
            }
        }
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : sorted) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    public Map<String, Object> toMetadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (irVersion >= 0) {
            m.put(IR_VERSION, irVersion);
        }
        if (!producerName.isEmpty()) {
            m.put(PRODUCER, producerName);
        }
        if (!producerVersion.isEmpty()) {
            m.put(PRODUCER_VERSION, producerVersion);
        }
        opsets.forEach((domain, version) -> m.put(OPSET_PREFIX + domain, version));
        m.put(OPS, ops);
        if (quantization.parameters() > 0) {
            m.put(QUANT_PARAMETERS, quantization.parameters());
            m.put(QUANT_BYTES, quantization.bytes());
            m.put(QUANT_OVERHEAD_BYTES, quantization.overheadBytes());
            m.put(QUANT_BITS_PER_WEIGHT, quantization.bitsPerWeight());
        }
        return m;
    }

    /** Reads back what {@link #toMetadata()} wrote. */
    @SuppressWarnings("unchecked")
    public static OnnxModelInfo fromMetadata(Map<String, Object> metadata) {
        Map<String, Long> opsets = new LinkedHashMap<>();
        metadata.forEach((k, v) -> {
            if (k.startsWith(OPSET_PREFIX) && v instanceof Long l) {
                opsets.put(k.substring(OPSET_PREFIX.length()), l);
            }
        });
        Object ops = metadata.getOrDefault(OPS, Map.of());
        Quantization q = metadata.containsKey(QUANT_PARAMETERS)
                ? new Quantization((Long) metadata.get(QUANT_PARAMETERS), (Long) metadata.get(QUANT_BYTES), (Long)
                        metadata.get(QUANT_OVERHEAD_BYTES))
                : Quantization.NONE;
        return new OnnxModelInfo(
                (Long) metadata.getOrDefault(IR_VERSION, -1L),
                (String) metadata.getOrDefault(PRODUCER, ""),
                (String) metadata.getOrDefault(PRODUCER_VERSION, ""),
                opsets,
                (Map<String, Long>) ops,
                q);
    }
}
