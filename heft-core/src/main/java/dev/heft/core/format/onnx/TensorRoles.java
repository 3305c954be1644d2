package dev.heft.core.format.onnx;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.TensorRole;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides what each stored tensor is to the model from how the graph uses it, never from its name: the one rule for
 * what an ONNX weight is.
 *
 * <ul>
 *   <li>A tensor in a weight slot of a quantized op ({@link QuantOp}) is a weight; a packed MatMulNBits weight holds
 *       K x N logical parameters, whatever its uint8 storage. So is an integer tensor that reaches such a slot only
 *       through data movement (a uint8 embedding table gathered, then dequantized).</li>
 *   <li>A tensor used only in scale / zero-point / group-index slots is quantization overhead; so is a float scale
 *       multiplied into the scale output of DynamicQuantizeLinear (onnxruntime's dynamic quantization rescales
 *       MatMulInteger's int32 result by {@code x_scale * w_scale} with a Mul).</li>
 *   <li>A floating-point tensor otherwise is a weight, unless it is rank 0 (a literal such as an epsilon or an
 *       exponent; learned one-element parameters have shape [1]) or every use is a shape/axes/indices input.</li>
 *   <li>{@code ConstantOfShape}'s fill value is a node attribute and never reaches here ({@link GraphWalker});
 *       weights rebuilt by ConstantOfShape from constant shapes are reported apart ({@link StrippedWeights}).</li>
 *   <li>An integer or bool tensor otherwise is a graph constant: in a float network integer values are shapes,
 *       axes, indices and the arithmetic on them; integer weights only exist as the quantized weights above.</li>
 * </ul>
 */
final class TensorRoles {
    /** What heft decided for one tensor. */
    record Decision(TensorRole role, long parameters) {}

    private record Use(OnnxNode node, int slot) {}

    private final Map<String, List<Use>> uses = new HashMap<>();
    /** Mul nodes that combine a quantization scale with another scale or constant. */
    private final Set<OnnxNode> scaleMuls = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    private final Path file;

    TensorRoles(List<OnnxNode> nodes, Set<String> storedNames, Path file) {
        this.file = file;
        for (OnnxNode n : nodes) {
            List<String> in = n.inputs();
            for (int i = 0; i < in.size(); i++) {
                if (!in.get(i).isEmpty()) {
                    uses.computeIfAbsent(in.get(i), k -> new ArrayList<>()).add(new Use(n, i));
                }
            }
        }
        findScaleMuls(nodes, storedNames);
        findQuantizedData(nodes);
        findInitialStates(nodes);
    }

    /** Values that reach an LSTM/GRU/RNN initial_h or initial_c input (slots 5 and 6), directly or by data movement. */
    private final Set<String> initialStates = new HashSet<>();

    /**
     * torch.onnx exports an LSTM's zero initial state as a stored [directions, 1, hidden] float expanded to the batch;
     * it is a starting value of the recurrence, not a learned weight.
     */
    private void findInitialStates(List<OnnxNode> nodes) {
        for (OnnxNode n : nodes) {
            if (n.isDefaultDomain()
                    && (n.opType().equals("LSTM")
                            || n.opType().equals("GRU")
                            || n.opType().equals("RNN"))) {
                for (int i = 5; i <= 6 && i < n.inputs().size(); i++) {
                    if (!n.inputs().get(i).isEmpty()) {
                        initialStates.add(n.inputs().get(i));
                    }
                }
            }
        }
        for (int k = nodes.size() - 1; k >= 0 && !initialStates.isEmpty(); k--) {
            OnnxNode n = nodes.get(k);
            if (n.isDefaultDomain()
                    && DATA_MOVEMENT.contains(n.opType())
                    && n.outputs().stream().anyMatch(initialStates::contains)
                    && !n.inputs().isEmpty()) {
                initialStates.add(n.inputs().get(0));
            }
        }
    }

    /**
     * Ops that move or select elements without computing on them. A quantized embedding table reaches
     * DequantizeLinear through Gather (onnxruntime gathers int8 rows, then dequantizes them), so a tensor whose
     * values flow into a quantized weight slot only through these ops is itself a quantized weight.
     */
    private static final Set<String> DATA_MOVEMENT = Set.of(
            "Gather",
            "GatherElements",
            "GatherND",
            "Reshape",
            "Transpose",
            "Slice",
            "Squeeze",
            "Unsqueeze",
            "Flatten",
            "Expand",
            "Identity",
            "Concat",
            "Tile",
            "Split");

    /** Values that reach a quantized op's weight slot, directly or through {@link #DATA_MOVEMENT} ops. */
    private final Set<String> quantizedData = new HashSet<>();

    private void findQuantizedData(List<OnnxNode> nodes) {
        for (OnnxNode n : nodes) {
            QuantOp.of(n).ifPresent(q -> {
                for (int i = 0; i < n.inputs().size(); i++) {
                    if (q.isWeightSlot(i) && !n.inputs().get(i).isEmpty()) {
                        quantizedData.add(n.inputs().get(i));
                    }
                }
            });
        }
        if (quantizedData.isEmpty()) {
            return;
        }
        // Nodes are topologically sorted, so one backward sweep carries the mark from consumers to producers.
        for (int k = nodes.size() - 1; k >= 0; k--) {
            OnnxNode n = nodes.get(k);
            if (!n.isDefaultDomain()
                    || !DATA_MOVEMENT.contains(n.opType())
                    || n.outputs().stream().noneMatch(quantizedData::contains)) {
                continue;
            }
            boolean concat = n.opType().equals("Concat");
            for (int i = 0; i < n.inputs().size(); i++) {
                if ((i == 0 || concat) && !n.inputs().get(i).isEmpty()) {
                    quantizedData.add(n.inputs().get(i));
                }
            }
        }
    }

    /**
     * Scale values start at DynamicQuantizeLinear's {@code y_scale} output (slot 1) and flow through Mul nodes whose
     * every input is a scale value or a stored tensor; those stored tensors are the weight scales.
     */
    private void findScaleMuls(List<OnnxNode> nodes, Set<String> stored) {
        Set<String> scales = new HashSet<>();
        for (OnnxNode n : nodes) {
            if (n.is("", "DynamicQuantizeLinear") && n.outputs().size() > 1) {
                scales.add(n.outputs().get(1));
            }
        }
        if (scales.isEmpty()) {
            return;
        }
        boolean changed = true;
        for (int pass = 0; changed && pass < 4; pass++) {
            changed = false;
            for (OnnxNode n : nodes) {
                if (!n.is("", "Mul") || scaleMuls.contains(n) || n.outputs().isEmpty()) {
                    continue;
                }
                boolean anyScale = n.inputs().stream().anyMatch(scales::contains);
                boolean allScaleOrStored = n.inputs().stream().allMatch(v -> scales.contains(v) || stored.contains(v));
                if (anyScale && allScaleOrStored) {
                    scaleMuls.add(n);
                    scales.add(n.outputs().get(0));
                    changed = true;
                }
            }
        }
    }

    Decision decide(FoundTensor t) {
        OnnxTensorProto proto = t.proto();
        DType dtype = proto.dataType().dtype().orElseThrow();
        long logical = Shapes.elements(t.denseShape());
        if (t.source() == FoundTensor.Source.SPARSE_INDICES) {
            return new Decision(TensorRole.QUANT_OVERHEAD, 0);
        }
        boolean weightSlot = false;
        boolean overhead = false;
        boolean index = false;
        boolean data = false;
        long packedParameters = -1;
        for (Use u : uses.getOrDefault(t.name(), List.of())) {
            var q = QuantOp.of(u.node);
            if (q.isPresent() && q.get().isWeightSlot(u.slot)) {
                weightSlot = true;
                if (q.get().isPackedSlot(u.slot)) {
                    packedParameters = switch (q.get()) {
                        case MATMUL_NBITS -> matMulNBitsParameters(u.node, proto);
                        case MATMUL_BNB4 -> matMulBnb4Parameters(u.node, proto);
                        case GATHER_BLOCK_QUANTIZED -> gatherBlockQuantizedParameters(u.node, proto);
                        default -> -1;
                    };
                }
            } else if (q.isPresent() && q.get().isOverheadSlot(u.slot)) {
                overhead = true;
            } else if (scaleMuls.contains(u.node)) {
                overhead = true;
            } else if (IndexInputs.isIndexSlot(u.node, u.slot)) {
                index = true;
            } else {
                data = true;
            }
        }
        if (dtype.category() == DType.Category.BOOL) {
            return new Decision(TensorRole.CONSTANT, 0);
        }
        if (weightSlot || (dtype.category() != DType.Category.FLOAT && quantizedData.contains(t.name()))) {
            return new Decision(TensorRole.WEIGHT, packedParameters >= 0 ? packedParameters : logical);
        }
        if (overhead && !data) {
            return new Decision(TensorRole.QUANT_OVERHEAD, 0);
        }
        boolean floating = dtype.category() == DType.Category.FLOAT || dtype.category() == DType.Category.COMPLEX;
        if (floating
                && initialStates.contains(t.name())
                && uses.getOrDefault(t.name(), List.of()).stream()
                        .allMatch(u -> initialStates.containsAll(u.node.outputs()) || isRecurrentOp(u.node))) {
            return new Decision(TensorRole.CONSTANT, 0); // a recurrent layer's initial state
        }
        if (floating && t.denseShape().length == 0) {
            // A rank-0 float is a literal of the computation (LayerNorm's epsilon, Pow's exponent 2, GELU's sqrt(2/pi),
            // attention's 1/sqrt(d)); exporters write learned one-element parameters with shape [1].
            return new Decision(TensorRole.CONSTANT, 0);
        }
        if (floating && !(index && !data)) {
            return new Decision(TensorRole.WEIGHT, logical);
        }
        return new Decision(TensorRole.CONSTANT, 0);
    }

    private static boolean isRecurrentOp(OnnxNode n) {
        return n.isDefaultDomain()
                && (n.opType().equals("LSTM")
                        || n.opType().equals("GRU")
                        || n.opType().equals("RNN"));
    }

    /** MatMulBnb4 (onnxruntime ContribOperators.md): B is uint8 [(N * K + 1) / 2], two 4-bit values per byte. */
    private long matMulBnb4Parameters(OnnxNode node, OnnxTensorProto b) {
        Long k = node.intAttributes().get("K");
        Long n = node.intAttributes().get("N");
        if (k == null || n == null || k <= 0 || n <= 0) {
            throw new CorruptModelException(
                    file, b.at(), b.name(), "MatMulBnb4 node " + node.outputs() + " needs positive attributes K and N");
        }
        try {
            long kn = Math.multiplyExact(k, n);
            long stored = b.dataType().dtype().orElseThrow().bytesForPadded(Shapes.elements(b.dims()));
            if (stored != kn / 2 + kn % 2) {
                throw new CorruptModelException(
                        file,
                        b.at(),
                        b.name(),
                        "MatMulBnb4 weight holds " + stored + " bytes but K=" + k + ", N=" + n + " need "
                                + (kn / 2 + kn % 2));
            }
            return kn;
        } catch (ArithmeticException e) {
            throw new CorruptModelException(file, b.at(), b.name(), "MatMulBnb4 K x N overflows 64 bits");
        }
    }

    /**
     * GatherBlockQuantized (onnxruntime ContribOperators.md): uint8 data packs 8 / bits values per byte (bits 4 by
     * default, or 8); int4/uint4 data already counts one element per value.
     */
    private long gatherBlockQuantizedParameters(OnnxNode node, OnnxTensorProto data) {
        long elements = Shapes.elements(data.dims());
        if (data.dataType() != OnnxDataType.UINT8) {
            return elements;
        }
        long bits = node.intAttributes().getOrDefault("bits", 4L);
        if (bits != 2 && bits != 4 && bits != 8) {
            throw new CorruptModelException(
                    file, data.at(), data.name(), "GatherBlockQuantized bits=" + bits + " (expected 2, 4 or 8)");
        }
        try {
            return Math.multiplyExact(elements, 8 / bits);
        } catch (ArithmeticException e) {
            throw new CorruptModelException(file, data.at(), data.name(), "GatherBlockQuantized size overflows");
        }
    }

    /**
     * MatMulNBits (onnxruntime ContribOperators.md): B is uint8 [N, k_blocks, blob_size] with
     * k_blocks = ceil(K / block_size) and blob_size = block_size * bits / 8; it holds K x N weights.
     */
    private long matMulNBitsParameters(OnnxNode node, OnnxTensorProto b) {
        Map<String, Long> a = node.intAttributes();
        Long k = a.get("K");
        Long n = a.get("N");
        Long bits = a.get("bits");
        Long blockSize = a.get("block_size");
        if (k == null || n == null || blockSize == null) {
            throw new CorruptModelException(
                    file,
                    b.at(),
                    b.name(),
                    "MatMulNBits node " + node.outputs() + " lacks attribute K, N or block_size");
        }
        long bitsValue = bits == null ? 4 : bits; // schema default: bits = 4
        if (k <= 0 || n <= 0 || blockSize < 16 || Long.bitCount(blockSize) != 1 || bitsValue < 1 || bitsValue > 8) {
            throw new CorruptModelException(
                    file,
                    b.at(),
                    b.name(),
                    "MatMulNBits attributes K=" + k + " N=" + n
                            + " bits=" + bitsValue + " block_size=" + blockSize + " (expected positive K, N; bits 1-8; "
                            + "block_size a power of two >= 16)");
        }
        try {
            long kBlocks = Math.ceilDiv(k, blockSize);
            long blob = Math.multiplyExact(blockSize, bitsValue) / 8;
            long expected = Math.multiplyExact(Math.multiplyExact(n, kBlocks), blob);
            long stored = Shapes.elements(b.dims());
            if (b.dataType().dtype().orElseThrow().bytesForPadded(stored) != expected) {
                throw new CorruptModelException(
                        file,
                        b.at(),
                        b.name(),
                        "MatMulNBits weight holds " + stored
                                + " " + b.dataType() + " elements but K=" + k + ", N=" + n + ", bits=" + bitsValue
                                + ", block_size=" + blockSize + " need " + expected
                                + " bytes ([N, k_blocks, blob_size] = ["
                                + n + ", " + kBlocks + ", " + blob + "])");
            }
            return Math.multiplyExact(k, n);
        } catch (ArithmeticException e) {
            throw new CorruptModelException(file, b.at(), b.name(), "MatMulNBits K x N overflows 64 bits");
        }
    }
}
