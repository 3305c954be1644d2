package dev.heft.core.format.onnx;

import java.util.List;

/**
 * Builds ONNX messages with the field numbers of onnx/onnx.proto, independently of the reader's own constants, so a
 * wrong field number in the reader cannot be mirrored here.
 */
final class OnnxModels {
    private OnnxModels() {}

    // TensorProto.DataType
    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT8 = 3;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int STRING = 8;
    static final int INT4 = 22;

    static Proto tensor(String name, int dataType, long[] dims, byte[] raw) {
        Proto t = new Proto();
        if (dims.length > 0) {
            t.packedVarints(1, dims);
        }
        t.varint(2, dataType).string(8, name);
        if (raw != null) {
            t.bytes(9, raw);
        }
        return t;
    }

    static Proto externalTensor(String name, int dataType, long[] dims, String location, Long offset, Long length) {
        Proto t = tensor(name, dataType, dims, null);
        t.message(13, new Proto().string(1, "location").string(2, location));
        if (offset != null) {
            t.message(13, new Proto().string(1, "offset").string(2, Long.toString(offset)));
        }
        if (length != null) {
            t.message(13, new Proto().string(1, "length").string(2, Long.toString(length)));
        }
        return t.varint(14, 1);
    }

    static Proto node(String domain, String op, List<String> inputs, List<String> outputs, Proto... attributes) {
        Proto n = new Proto();
        inputs.forEach(i -> n.string(1, i));
        outputs.forEach(o -> n.string(2, o));
        n.string(4, op);
        for (Proto a : attributes) {
            n.message(5, a);
        }
        if (!domain.isEmpty()) {
            n.string(7, domain);
        }
        return n;
    }

    static Proto node(String op, List<String> inputs, List<String> outputs, Proto... attributes) {
        return node("", op, inputs, outputs, attributes);
    }

    // AttributeProto: name = 1, f = 2, i = 3, t = 5, g = 6, floats = 7, ints = 8, type = 20.
    static Proto intAttribute(String name, long value) {
        return new Proto().string(1, name).varint(3, value).varint(20, 2);
    }

    static Proto floatAttribute(String name, float value) {
        return new Proto().string(1, name).fixed32Float(2, value).varint(20, 1);
    }

    static Proto floatsAttribute(String name, float... values) {
        return new Proto().string(1, name).packedFloats(7, values).varint(20, 6);
    }

    static Proto intsAttribute(String name, long... values) {
        return new Proto().string(1, name).packedVarints(8, values).varint(20, 7);
    }

    static Proto tensorAttribute(String name, Proto tensor) {
        return new Proto().string(1, name).message(5, tensor).varint(20, 4);
    }

    static Proto graphAttribute(String name, Proto graph) {
        return new Proto().string(1, name).message(6, graph).varint(20, 5);
    }

    /** GraphProto: node = 1, name = 2, initializer = 5, sparse_initializer = 15. */
    static Proto graph(List<Proto> initializers, List<Proto> nodes) {
        Proto g = new Proto();
        nodes.forEach(n -> g.message(1, n));
        g.string(2, "g");
        initializers.forEach(t -> g.message(5, t));
        return g;
    }

    /** ModelProto: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8 (in field order, as exporters write). */
    static byte[] model(Proto graph) {
        return new Proto()
                .varint(1, 10)
                .string(2, "heft-test")
                .message(7, graph)
                .message(8, new Proto().string(1, "").varint(2, 21))
                .message(8, new Proto().string(1, "com.microsoft").varint(2, 1))
                .toBytes();
    }

    static byte[] floats(int n) {
        return new byte[n * 4];
    }
}
