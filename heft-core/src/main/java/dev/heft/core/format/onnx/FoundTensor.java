package dev.heft.core.format.onnx;

/**
 * A tensor found somewhere in the model, with where it was found.
 *
 * @param proto       the tensor as stored
 * @param source      the graph field that held it
 * @param denseShape  for sparse initializer parts, the dense tensor's dims; otherwise the proto's dims
 * @param depth       graph depth (0 main graph)
 */
record FoundTensor(OnnxTensorProto proto, Source source, long[] denseShape, int depth) {
    FoundTensor {
        denseShape = denseShape.clone();
    }

    @Override
    public long[] denseShape() {
        return denseShape.clone();
    }

    /** The value name graph nodes use to refer to it. */
    String name() {
        return proto.name();
    }

    enum Source {
        /** {@code GraphProto.initializer = 5}. */
        INITIALIZER,
        /** {@code GraphProto.sparse_initializer = 15}: {@code SparseTensorProto.values = 1}. */
        SPARSE_VALUES,
        /** {@code SparseTensorProto.indices = 2}. */
        SPARSE_INDICES,
        /** The value attribute of a {@code Constant} node (value, value_float(s), value_int(s), sparse_value). */
        CONSTANT_NODE,
        /** A tensor attribute of any other node (ConstantOfShape's fill value, ...). */
        NODE_ATTRIBUTE
    }
}
