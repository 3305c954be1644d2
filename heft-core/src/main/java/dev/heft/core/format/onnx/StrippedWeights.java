package dev.heft.core.format.onnx;

import dev.heft.core.error.CorruptModelException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Weights a file does not store but rebuilds: {@code ConstantOfShape} fed by a constant shape (onnx's "light" test
 * models, written by {@code onnx.tools.replace_constants}, replace every initializer by such a node to ship the graph
 * without its weights). Each rebuilt tensor is a weight of the original model that holds no learned values here, so
 * heft reports the implied count apart and never as stored parameters.
 */
final class StrippedWeights {
    /** A shape is a handful of int64s; anything bigger is not one. */
    private static final long MAX_SHAPE_ELEMENTS = 16;

    private StrippedWeights() {}

    /** How many ConstantOfShape outputs were rebuilt from stored constant shapes, and the elements they hold. */
    record Implied(int tensors, long parameters) {}

    static Implied find(List<OnnxNode> nodes, List<FoundTensor> stored, MemorySegment segment, Path file) {
        Map<String, OnnxTensorProto> constants = new HashMap<>();
        for (FoundTensor t : stored) {
            if (t.source() == FoundTensor.Source.INITIALIZER || t.source() == FoundTensor.Source.CONSTANT_NODE) {
                constants.putIfAbsent(t.name(), t.proto());
            }
        }
        int tensors = 0;
        long parameters = 0;
        for (OnnxNode n : nodes) {
            if (!n.is("", "ConstantOfShape") || n.inputs().isEmpty()) {
                continue;
            }
            OnnxTensorProto shape = constants.get(n.inputs().get(0));
            if (shape == null) {
                continue; // a shape computed at run time: a buffer the graph makes, not a stripped weight
            }
            Optional<long[]> dims = int64Values(shape, segment, file);
            if (dims.isEmpty() || dims.get().length == 0) {
                continue;
            }
            long elements = 1;
            for (long d : dims.get()) {
                CorruptModelException.verify(
                        d >= 0,
                        file,
                        shape.at(),
                        "ConstantOfShape shape " + shape.name() + " has a negative dimension " + d);
                elements = Math.multiplyExact(elements, d);
            }
            tensors++;
            parameters = Math.addExact(parameters, elements);
        }
        return new Implied(tensors, parameters);
    }

    /** The values of a small INT64 tensor stored in raw_data or int64_data; empty for anything else. */
    private static Optional<long[]> int64Values(OnnxTensorProto p, MemorySegment segment, Path file) {
        if (p.dataType() != OnnxDataType.INT64 || p.dims().length > 1) {
            return Optional.empty();
        }
        long count = p.dims().length == 0 ? 1 : p.dims()[0];
        if (count < 0 || count > MAX_SHAPE_ELEMENTS) {
            return Optional.empty();
        }
        long[] out = new long[(int) count];
        switch (p.storage()) {
            case TensorStorage.Raw raw -> {
                if (raw.length() != count * 8) {
                    return Optional.empty();
                }
                for (int i = 0; i < count; i++) {
                    out[i] = segment.get(
                            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN),
                            raw.offset() + 8L * i);
                }
            }
            case TensorStorage.Typed typed
            when typed.field() == OnnxDataType.TypedField.INT64_DATA && typed.values() == count -> {
                // int64_data is packed varints (one run); a multi-run field reads on through the runs' tags, which
                // would be misread as values: only the single-run form is decoded.
                ProtoCursor c = new ProtoCursor(segment, file, typed.offset(), typed.offset() + typed.bytes());
                for (int i = 0; i < count; i++) {
                    out[i] = c.readVarint("int64_data");
                }
                if (c.hasMore()) {
                    return Optional.empty();
                }
            }
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(out);
    }
}
