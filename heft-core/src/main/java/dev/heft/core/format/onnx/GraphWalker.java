package dev.heft.core.format.onnx;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.tensor.Shapes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a {@code GraphProto} and every subgraph its nodes carry (If's then/else branches, Loop and Scan bodies, in
 * attributes {@code g} and {@code graphs}), collecting every stored tensor and every node. Depth is bounded so a
 * hostile file cannot exhaust the stack.
 */
final class GraphWalker {
    /** Real models nest control flow a few levels deep; 32 is far past that and keeps recursion shallow. */
    static final int MAX_GRAPH_DEPTH = 32;

    // GraphProto (onnx.proto): node = 1, name = 2, initializer = 5, sparse_initializer = 15.
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_SPARSE_INITIALIZER = 15;
    private static final int FUNCTION_NODE = 7;
    // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5, domain = 7.
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int NODE_DOMAIN = 7;
    /** {@code repeated StringStringEntryProto metadata_props = 9} (onnx.proto, NodeProto, IR version 10). */
    private static final int NODE_METADATA_PROPS = 9;
    /** The key torch.onnx (dynamo exporter) writes with the module path a node came from. */
    static final String NAME_SCOPES = "pkg.torch.onnx.name_scopes";
    // AttributeProto: name = 1, f = 2 (float), i = 3 (int64), t = 5, g = 6, floats = 7, ints = 8, tensors = 10,
    // graphs = 11, sparse_tensor = 22, sparse_tensors = 23. s = 4 / strings = 9 are skipped (no tensor data).
    private static final int ATTR_NAME = 1;
    private static final int ATTR_F = 2;
    private static final int ATTR_I = 3;
    private static final int ATTR_S = 4;
    private static final int ATTR_T = 5;
    private static final int ATTR_G = 6;
    private static final int ATTR_FLOATS = 7;
    private static final int ATTR_INTS = 8;
    private static final int ATTR_STRINGS = 9;
    private static final int ATTR_TENSORS = 10;
    private static final int ATTR_GRAPHS = 11;
    private static final int ATTR_SPARSE_TENSOR = 22;
    private static final int ATTR_SPARSE_TENSORS = 23;
    // SparseTensorProto: values = 1, indices = 2, dims = 3.
    private static final int SPARSE_VALUES = 1;
    private static final int SPARSE_INDICES = 2;
    private static final int SPARSE_DIMS = 3;

    private final TensorProtoParser tensors;
    private final List<FoundTensor> found = new ArrayList<>();
    private final List<OnnxNode> nodes = new ArrayList<>();
    private int unnamed;
    private int stringConstants;
    private boolean inFunction;

    GraphWalker(TensorProtoParser tensors) {
        this.tensors = tensors;
    }

    List<FoundTensor> tensors() {
        return found;
    }

    List<OnnxNode> nodes() {
        return nodes;
    }

    List<String> notes() {
        List<String> out = new ArrayList<>();
        if (stringConstants > 0) {
            out.add(stringConstants + " Constant node(s) hold strings (value_string/value_strings), not listed");
        }
        if (fillValues > 0) {
            out.add(fillValues + " ConstantOfShape fill value(s) are node attributes, not stored tensors: not listed");
        }
        return out;
    }

    /** ConstantOfShape {@code value} attributes seen (and not listed as tensors). */
    private int fillValues;

    /**
     * A model-local function ({@code ModelProto.functions = 25}, FunctionProto: {@code repeated NodeProto node = 7}):
     * its Constant nodes store tensors like a graph's do. Its nodes are templates, called from the graph by
     * domain and name, so they are kept out of the op histogram.
     */
    void walkFunction(ProtoCursor function) {
        while (function.hasMore()) {
            int tag = function.readTag();
            if (ProtoCursor.fieldNumber(tag) == FUNCTION_NODE) {
                function.expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "FunctionProto.node");
                inFunction = true;
                try {
                    walkNode(function.readMessage("FunctionProto.node"), 1);
                } finally {
                    inFunction = false;
                }
            } else {
                function.skip(tag);
            }
        }
    }

    void walkGraph(ProtoCursor graph, int depth) {
        if (depth > MAX_GRAPH_DEPTH) {
            throw new UnsupportedModelException(
                    graph.file(), graph.position(), "subgraphs nested deeper than " + MAX_GRAPH_DEPTH + " levels");
        }
        while (graph.hasMore()) {
            int tag = graph.readTag();
            switch (ProtoCursor.fieldNumber(tag)) {
                case GRAPH_NODE -> {
                    graph.expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.node");
                    walkNode(graph.readMessage("GraphProto.node"), depth);
                }
                case GRAPH_INITIALIZER -> {
                    graph.expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.initializer");
                    OnnxTensorProto t = tensors.parse(graph.readMessage("GraphProto.initializer"), nextUnnamed());
                    found.add(new FoundTensor(t, FoundTensor.Source.INITIALIZER, t.dims(), depth));
                }
                case GRAPH_SPARSE_INITIALIZER -> {
                    graph.expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.sparse_initializer");
                    walkSparse(graph.readMessage("GraphProto.sparse_initializer"), null, depth);
                }
                default -> graph.skip(tag);
            }
        }
    }

    private String nextUnnamed() {
        return "<unnamed tensor " + (unnamed++) + ">";
    }

    /**
     * {@code SparseTensorProto}: values (shape [NNZ]) and indices ([NNZ] or [NNZ, rank]) are both stored tensors;
     * {@code dims} is the dense shape. The values tensor is named by {@code values.name} (the initializer's name) or,
     * for a Constant's sparse_value, by the node output.
     */
    private void walkSparse(ProtoCursor sparse, String nameOverride, int depth) {
        long at = sparse.position();
        OnnxTensorProto values = null;
        OnnxTensorProto indices = null;
        List<Long> dense = new ArrayList<>();
        while (sparse.hasMore()) {
            int tag = sparse.readTag();
            switch (ProtoCursor.fieldNumber(tag)) {
                case SPARSE_VALUES -> {
                    sparse.expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "SparseTensorProto.values");
                    values = tensors.parse(sparse.readMessage("SparseTensorProto.values"), nextUnnamed());
                }
                case SPARSE_INDICES -> {
                    sparse.expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "SparseTensorProto.indices");
                    indices = tensors.parse(sparse.readMessage("SparseTensorProto.indices"), nextUnnamed());
                }
                case SPARSE_DIMS ->
                    sparse.readInt64s(tag, "SparseTensorProto.dims", v -> {
                        CorruptModelException.verify(
                                dense.size() < 1024,
                                sparse.file(),
                                sparse.position(),
                                "sparse tensor has more than 1024 dims");
                        dense.add(v);
                    });
                default -> sparse.skip(tag);
            }
        }
        if (values == null) {
            throw new CorruptModelException(sparse.file(), at, "SparseTensorProto without values");
        }
        long[] denseShape = dense.stream().mapToLong(Long::longValue).toArray();
        try {
            Shapes.elements(denseShape);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new CorruptModelException(
                    sparse.file(),
                    at,
                    values.name(),
                    "sparse tensor dense dims " + dense + " are negative or overflow 64 bits");
        }
        String name = nameOverride != null ? nameOverride : values.name();
        OnnxTensorProto v = new OnnxTensorProto(name, values.dims(), values.dataType(), values.storage(), values.at());
        found.add(new FoundTensor(v, FoundTensor.Source.SPARSE_VALUES, denseShape, depth));
        if (indices != null) {
            OnnxTensorProto i = new OnnxTensorProto(
                    name + "/indices", indices.dims(), indices.dataType(), indices.storage(), indices.at());
            found.add(new FoundTensor(i, FoundTensor.Source.SPARSE_INDICES, i.dims(), depth));
        }
    }

    private void walkNode(ProtoCursor node, int depth) {
        String domain = "";
        String opType = "";
        String name = "";
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, Long> ints = new LinkedHashMap<>();
        List<PendingAttribute> valueAttributes = new ArrayList<>();
        List<ProtoCursor> subgraphs = new ArrayList<>();
        String scope = "";
        while (node.hasMore()) {
            int tag = node.readTag();
            switch (ProtoCursor.fieldNumber(tag)) {
                case NODE_METADATA_PROPS -> {
                    node.expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "NodeProto.metadata_props");
                    String s = readNameScope(node.readMessage("NodeProto.metadata_props"));
                    if (!s.isEmpty()) {
                        scope = s;
                    }
                }
                case NODE_INPUT -> inputs.add(node.readString("NodeProto.input", TensorProtoParser.MAX_NAME_BYTES));
                case NODE_OUTPUT -> outputs.add(node.readString("NodeProto.output", TensorProtoParser.MAX_NAME_BYTES));
                case NODE_NAME -> name = node.readString("NodeProto.name", TensorProtoParser.MAX_NAME_BYTES);
                case NODE_OP_TYPE -> opType = node.readString("NodeProto.op_type", TensorProtoParser.MAX_NAME_BYTES);
                case NODE_DOMAIN -> domain = node.readString("NodeProto.domain", TensorProtoParser.MAX_NAME_BYTES);
                case NODE_ATTRIBUTE -> {
                    node.expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "NodeProto.attribute");
                    readAttribute(node.readMessage("NodeProto.attribute"), ints, valueAttributes, subgraphs);
                }
                default -> node.skip(tag);
            }
        }
        // Subgraphs are walked after the node so that the node's own entry comes first in file order.
        OnnxNode parsed = new OnnxNode(domain, opType, inputs, outputs, ints, depth, inFunction, scope);
        nodes.add(parsed);
        boolean constant = parsed.is("", "Constant");
        if (constant && valueAttributes.size() != 1) {
            throw new CorruptModelException(
                    node.file(),
                    node.position(),
                    "Constant node " + outputs + " has " + valueAttributes.size()
                            + " value attributes (expected exactly one)");
        }
        boolean fill = parsed.is("", "ConstantOfShape");
        for (PendingAttribute a : valueAttributes) {
            if (!constant && !a.tensorValued) {
                continue;
            }
            if (fill) {
                // ConstantOfShape's "value" is the fill scalar, a node attribute: not a stored tensor, not a weight.
                fillValues++;
                continue;
            }
            String tensorName =
                    constant && !outputs.isEmpty() ? outputs.get(0) : (name.isEmpty() ? opType : name) + "/" + a.name;
            FoundTensor.Source source = constant ? FoundTensor.Source.CONSTANT_NODE : FoundTensor.Source.NODE_ATTRIBUTE;
            a.emit(tensorName, source, depth);
        }
        for (ProtoCursor g : subgraphs) {
            walkGraph(g, depth + 1);
        }
    }

    /**
     * The deepest module path in a {@code name_scopes} entry: the value is a Python list literal such as
     * {@code ['', 'encoder', 'encoder.layer.0', 'encoder.layer.0.attention.self.query', 'linear']} whose last element
     * names the op, so the module is the element before it. Anything else yields "".
     */
    private static String readNameScope(ProtoCursor entry) {
        String key = "";
        String value = "";
        while (entry.hasMore()) {
            int tag = entry.readTag();
            switch (ProtoCursor.fieldNumber(tag)) {
                case 1 -> key = entry.readString("StringStringEntryProto.key", TensorProtoParser.MAX_NAME_BYTES);
                case 2 -> value = entry.readString("StringStringEntryProto.value", TensorProtoParser.MAX_NAME_BYTES);
                default -> entry.skip(tag);
            }
        }
        if (!key.equals(NAME_SCOPES) || !value.startsWith("[") || !value.endsWith("]")) {
            return "";
        }
        String[] parts = value.substring(1, value.length() - 1).split(",");
        if (parts.length < 2) {
            return "";
        }
        String module = parts[parts.length - 2].trim();
        if (module.length() >= 2 && (module.startsWith("'") || module.startsWith("\""))) {
            module = module.substring(1, module.length() - 1);
        }
        return module;
    }

    private void readAttribute(
            ProtoCursor attr, Map<String, Long> ints, List<PendingAttribute> values, List<ProtoCursor> subgraphs) {
        String name = "";
        Long i = null;
        NumberRun scalar = null;
        NumberRun list = null;
        List<Emitter> tensorValues = new ArrayList<>();
        boolean strings = false;
        while (attr.hasMore()) {
            int tag = attr.readTag();
            int field = ProtoCursor.fieldNumber(tag);
            switch (field) {
                case ATTR_NAME -> name = attr.readString("AttributeProto.name", TensorProtoParser.MAX_NAME_BYTES);
                case ATTR_I -> {
                    attr.expect(tag, WireFormat.WIRETYPE_VARINT, "AttributeProto.i");
                    long at = attr.position();
                    i = attr.readVarint("AttributeProto.i");
                    scalar = new NumberRun(OnnxDataType.INT64, at, attr.position() - at, 1);
                }
                case ATTR_F -> {
                    attr.expect(tag, WireFormat.WIRETYPE_FIXED32, "AttributeProto.f");
                    long at = attr.position();
                    attr.skip(tag);
                    scalar = new NumberRun(OnnxDataType.FLOAT, at, 4, 1);
                }
                case ATTR_FLOATS, ATTR_INTS -> list = readNumberList(attr, tag, field == ATTR_FLOATS, list);
                case ATTR_T, ATTR_TENSORS -> {
                    attr.expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "AttributeProto.t");
                    OnnxTensorProto t = tensors.parse(attr.readMessage("AttributeProto.t"), nextUnnamed());
                    tensorValues.add((n, src, d) -> found.add(new FoundTensor(
                            new OnnxTensorProto(n, t.dims(), t.dataType(), t.storage(), t.at()), src, t.dims(), d)));
                }
                case ATTR_SPARSE_TENSOR, ATTR_SPARSE_TENSORS -> {
                    attr.expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "AttributeProto.sparse_tensor");
                    ProtoCursor sparse = attr.readMessage("AttributeProto.sparse_tensor");
                    tensorValues.add((n, src, d) -> walkSparse(sparse, n, d));
                }
                case ATTR_G, ATTR_GRAPHS -> {
                    attr.expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "AttributeProto.g");
                    subgraphs.add(attr.readMessage("AttributeProto.g"));
                }
                case ATTR_S, ATTR_STRINGS -> {
                    strings = true;
                    attr.skip(tag);
                }
                default -> attr.skip(tag); // type, doc_string, ref_attr_name: no tensor data
            }
        }
        if (i != null) {
            ints.put(name, i);
        }
        for (Emitter e : tensorValues) {
            values.add(new PendingAttribute(name, true, e));
        }
        if (strings && tensorValues.isEmpty() && scalar == null && list == null) {
            // A Constant's value_string(s): text, not a tensor heft can size; counted for a note.
            values.add(new PendingAttribute(name, false, (n, src, d) -> stringConstants++));
        }
        // A plain number attribute of an ordinary op (axis, epsilon) is configuration, but on a Constant node
        // value_float(s)/value_int(s) ARE the stored value; walkNode keeps these only for Constant.
        for (NumberRun run : new NumberRun[] {scalar, list}) {
            if (run != null) {
                long[] dims = run == scalar ? new long[0] : new long[] {run.count};
                OnnxDataType.TypedField f = run.type == OnnxDataType.FLOAT
                        ? OnnxDataType.TypedField.FLOAT_DATA
                        : OnnxDataType.TypedField.INT64_DATA;
                values.add(new PendingAttribute(
                        name,
                        false,
                        (n, src, d) -> found.add(new FoundTensor(
                                new OnnxTensorProto(
                                        n,
                                        dims,
                                        run.type,
                                        new TensorStorage.Typed(f, run.offset, run.bytes, run.count),
                                        run.offset),
                                src,
                                dims,
                                d))));
            }
        }
    }

    /** {@code repeated float floats = 7} / {@code repeated int64 ints = 8}, packed or one key per value. */
    private NumberRun readNumberList(ProtoCursor attr, int tag, boolean isFloat, NumberRun sofar) {
        String what = isFloat ? "AttributeProto.floats" : "AttributeProto.ints";
        OnnxDataType type = isFloat ? OnnxDataType.FLOAT : OnnxDataType.INT64;
        long start;
        long count = 0;
        if (ProtoCursor.wireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            long at = attr.position();
            ProtoCursor packed = attr.readMessage(what);
            start = packed.position();
            if (isFloat) {
                long len = packed.end() - packed.position();
                CorruptModelException.verify(
                        len % 4 == 0, attr.file(), at, what + " run of " + len + " bytes is not whole 4-byte floats");
                count = len / 4;
            } else {
                while (packed.hasMore()) {
                    packed.readVarint(what);
                    count++;
                }
            }
        } else {
            attr.expect(tag, isFloat ? WireFormat.WIRETYPE_FIXED32 : WireFormat.WIRETYPE_VARINT, what);
            start = attr.position();
            attr.skip(tag);
            count = 1;
        }
        long bytes = attr.position() - start;
        if (sofar == null) {
            return new NumberRun(type, start, bytes, count);
        }
        CorruptModelException.verify(sofar.type == type, attr.file(), start, "attribute holds both floats and ints");
        return new NumberRun(type, sofar.offset, Math.addExact(sofar.bytes, bytes), Math.addExact(sofar.count, count));
    }

    /** Numbers stored directly in an attribute: where the first lies, their stored bytes and how many. */
    private record NumberRun(OnnxDataType type, long offset, long bytes, long count) {}

    @FunctionalInterface
    private interface Emitter {
        void emit(String name, FoundTensor.Source source, int depth);
    }

    private record PendingAttribute(String name, boolean tensorValued, Emitter emitter) {
        void emit(String tensorName, FoundTensor.Source source, int depth) {
            emitter.emit(tensorName, source, depth);
        }
    }
}
