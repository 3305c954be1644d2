package dev.heft.core.format.onnx;

import java.util.Map;
import java.util.Set;

/**
 * Input slots of default-domain ONNX operators that take shapes, axes, indices, sizes or counts rather than data
 * (docs/Operators.md, latest opset of each). A tensor consumed only in such slots is a graph constant, not a weight.
 */
final class IndexInputs {
    private IndexInputs() {}

    private static final Set<Integer> SECOND = Set.of(1);
    private static final Set<Integer> REDUCE_AXES = SECOND;

    private static final Map<String, Set<Integer>> SLOTS = Map.ofEntries(
            Map.entry("Reshape", SECOND), // data, shape
            Map.entry("Expand", SECOND), // input, shape
            Map.entry("Tile", SECOND), // input, repeats
            Map.entry("Slice", Set.of(1, 2, 3, 4)), // data, starts, ends, axes, steps
            Map.entry("Unsqueeze", SECOND), // data, axes
            Map.entry("Squeeze", SECOND), // data, axes
            Map.entry("Gather", SECOND), // data, indices
            Map.entry("GatherElements", SECOND), // data, indices
            Map.entry("GatherND", SECOND), // data, indices
            Map.entry("ScatterElements", SECOND), // data, indices, updates
            Map.entry("ScatterND", SECOND), // data, indices, updates
            Map.entry("Scatter", SECOND),
            Map.entry("ConstantOfShape", Set.of(0)), // input: the shape
            Map.entry("Range", Set.of(0, 1, 2)), // start, limit, delta
            Map.entry("TopK", SECOND), // X, K
            Map.entry("Split", SECOND), // input, split
            Map.entry("Pad", Set.of(1, 3)), // data, pads, constant_value, axes
            Map.entry("Resize", Set.of(1, 2, 3)), // X, roi, scales, sizes
            Map.entry("Upsample", SECOND), // X, scales
            Map.entry("OneHot", SECOND), // indices, depth, values
            Map.entry("CumSum", SECOND), // x, axis
            Map.entry("Trilu", SECOND), // input, k
            Map.entry("CenterCropPad", SECOND), // input_data, shape
            Map.entry("ReduceSum", REDUCE_AXES),
            Map.entry("ReduceMean", REDUCE_AXES),
            Map.entry("ReduceMax", REDUCE_AXES),
            Map.entry("ReduceMin", REDUCE_AXES),
            Map.entry("ReduceProd", REDUCE_AXES),
            Map.entry("ReduceL1", REDUCE_AXES),
            Map.entry("ReduceL2", REDUCE_AXES),
            Map.entry("ReduceLogSum", REDUCE_AXES),
            Map.entry("ReduceLogSumExp", REDUCE_AXES),
            Map.entry("ReduceSumSquare", REDUCE_AXES),
            Map.entry("Loop", Set.of(0)), // M (trip count), cond, ...
            Map.entry("If", Set.of(0))); // cond

    /** Whether input {@code slot} of {@code node} is a shape/axes/indices input. */
    static boolean isIndexSlot(OnnxNode node, int slot) {
        if (!node.isDefaultDomain()) {
            return false;
        }
        Set<Integer> s = SLOTS.get(node.opType());
        return s != null && s.contains(slot);
    }
}
