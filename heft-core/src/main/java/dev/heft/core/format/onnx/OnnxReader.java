package dev.heft.core.format.onnx;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.format.ModelReader;
import dev.heft.core.format.io.MappedFile;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an ONNX model ({@code ModelProto}, onnx/onnx.proto) into a tensor inventory without loading tensor data:
 * every tensor in {@code initializer}, {@code sparse_initializer}, Constant nodes and node tensor attributes, in the
 * main graph and in every If/Loop/Scan subgraph, located by absolute offset (in the model file or its external data
 * file) and checked against dims x data_type. What each tensor is (weight, quantization overhead, graph constant) comes
 * from how the graph uses it; see {@link TensorRoles}.
 */
public final class OnnxReader implements ModelReader {
    // ModelProto field numbers (onnx.proto).
    private static final int IR_VERSION = 1;
    private static final int PRODUCER_NAME = 2;
    private static final int PRODUCER_VERSION = 3;
    private static final int GRAPH = 7;
    private static final int OPSET_IMPORT = 8;
    private static final int TRAINING_INFO = 20;
    private static final int FUNCTIONS = 25;
    // OperatorSetIdProto: optional string domain = 1; optional int64 version = 2.
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;

    @Override
    public ModelFormat format() {
        return ModelFormat.ONNX;
    }

    @Override
    public boolean recognises(byte[] head, Path path) {
        return OnnxSignature.looksLikeModel(head);
    }

    @Override
    public TensorInventory read(Path path) throws IOException {
        // A confined arena: the mapping serves this one read (the header walk); tensor data is only located, so the
        // mapping is unmapped as soon as the inventory is built.
        try (MappedFile mapped = MappedFile.open(path)) {
            return read(mapped);
        }
    }

    /** Reads the inventory and the model facts together. */
    public static Result readWithInfo(Path path) throws IOException {
        try (MappedFile mapped = MappedFile.open(path)) {
            return parse(mapped.segment(), mapped.path());
        }
    }

    /** An inventory with the {@link OnnxModelInfo} it carries in its metadata. */
    public record Result(TensorInventory inventory, OnnxModelInfo info) {}

    private TensorInventory read(MappedFile mapped) {
        return parse(mapped.segment(), mapped.path()).inventory();
    }

    /** Parses a model held in {@code segment} as if read from {@code file} (external data resolves beside it). */
    static Result parse(MemorySegment segment, Path file) {
        CorruptModelException.verify(segment.byteSize() > 0, file, 0, "empty file (expected an ONNX ModelProto)");
        ProtoCursor model = ProtoCursor.whole(segment, file);
        GraphWalker walker = new GraphWalker(new TensorProtoParser(segment));
        long irVersion = -1;
        String producer = "";
        String producerVersion = "";
        Map<String, Long> opsets = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        boolean sawGraph = false;
        int functions = 0;
        int trainingInfos = 0;
        while (model.hasMore()) {
            int tag = model.readTag();
            switch (ProtoCursor.fieldNumber(tag)) {
                case IR_VERSION -> {
                    model.expect(tag, WireFormat.WIRETYPE_VARINT, "ModelProto.ir_version");
                    irVersion = model.readVarint("ModelProto.ir_version");
                }
                case PRODUCER_NAME ->
                    producer = model.readString("ModelProto.producer_name", TensorProtoParser.MAX_NAME_BYTES);
                case PRODUCER_VERSION ->
                    producerVersion = model.readString("ModelProto.producer_version", TensorProtoParser.MAX_NAME_BYTES);
                case GRAPH -> {
                    model.expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "ModelProto.graph");
                    walker.walkGraph(model.readMessage("ModelProto.graph"), 0);
                    sawGraph = true;
                }
                case OPSET_IMPORT -> {
                    model.expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "ModelProto.opset_import");
                    readOpset(model.readMessage("ModelProto.opset_import"), opsets);
                }
                case TRAINING_INFO -> {
                    trainingInfos++;
                    model.skip(tag);
                }
                case FUNCTIONS -> {
                    model.expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "ModelProto.functions");
                    walker.walkFunction(model.readMessage("ModelProto.functions"));
                    functions++;
                }
                default -> model.skip(tag);
            }
        }
        CorruptModelException.verify(sawGraph, file, segment.byteSize(), "ModelProto has no graph (field 7)");
        if (functions > 0) {
            notes.add(functions + " model-local function(s) (ModelProto.functions): their Constant tensors are "
                    + "listed, their nodes are not in the op histogram");
        }
        if (trainingInfos > 0) {
            notes.add(trainingInfos + " training_info graph(s) were not inspected");
        }

        List<FoundTensor> found = walker.tensors();
        Set<String> storedNames = new HashSet<>();
        for (FoundTensor t : found) {
            storedNames.add(t.name());
        }
        TensorRoles roles = new TensorRoles(walker.nodes(), storedNames, file);
        ExternalData external = new ExternalData(file);
        List<Tensor> tensors = new ArrayList<>();
        Set<Path> files = new LinkedHashSet<>();
        files.add(file);
        long stringTensors = 0;
        long stringBytes = 0;
        for (FoundTensor t : found) {
            OnnxTensorProto proto = t.proto();
            Optional<DType> dtype = proto.dataType().dtype();
            if (dtype.isEmpty()) {
                stringTensors++;
                stringBytes += proto.storage() instanceof TensorStorage.Typed typed ? typed.bytes() : 0;
                continue;
            }
            Tensor tensor = place(t, dtype.get(), roles.decide(t), file, external);
            files.add(tensor.file());
            tensors.add(tensor);
        }
        if (stringTensors > 0) {
            notes.add(stringTensors + " STRING tensor(s) (" + stringBytes + " bytes of string_data) are not listed: "
                    + "strings have no fixed element size");
        }
        long sparse = found.stream()
                .filter(f -> f.source() == FoundTensor.Source.SPARSE_VALUES)
                .count();
        if (sparse > 0) {
            notes.add(sparse + " sparse tensor(s): each counts its dense shape as parameters and stores only its "
                    + "non-zero values; their indices are listed as overhead");
        }
        walker.notes().forEach(notes::add);
        StrippedWeights.Implied implied = StrippedWeights.find(walker.nodes(), found, segment, file);

        OnnxModelInfo info = new OnnxModelInfo(
                irVersion,
                producer,
                producerVersion,
                opsets,
                OnnxModelInfo.histogram(walker.nodes()),
                quantization(tensors));
        Map<String, Object> metadata = new LinkedHashMap<>(info.toMetadata());
        Map<String, String> aliases = aliases(walker.nodes(), tensors);
        if (!aliases.isEmpty()) {
            metadata.put(TensorInventory.ALIASES_KEY, aliases);
        }
        if (implied.tensors() > 0) {
            metadata.put("onnx.stripped_weights.tensors", (long) implied.tensors());
            metadata.put("onnx.stripped_weights.implied_parameters", implied.parameters());
            notes.add("weights stripped: " + implied.tensors() + " tensor(s) are rebuilt at run time by "
                    + "ConstantOfShape from constant shapes and hold no learned values; they imply "
                    + String.format(java.util.Locale.ROOT, "%,d", implied.parameters()) + " parameters of the "
                    + "original model, not counted as stored parameters");
        }
        TensorInventory inventory =
                new TensorInventory(ModelFormat.ONNX, List.copyOf(files), tensors, metadata, Optional.empty(), notes);
        return new Result(inventory, info);
    }

    /**
     * Exporter-generated initializer names ({@code val_100_Q4}, {@code onnx::MatMul_123}) say nothing about where a
     * weight sits; the module scope of the node that consumes it does. Each stored tensor consumed by a node with a
     * scope gets {@code <scope>.weight} (matrices) or {@code <scope>.bias} (vectors) as its alias, for the classifier.
     */
    private static Map<String, String> aliases(List<OnnxNode> nodes, List<Tensor> tensors) {
        // Nodes a quantizer inserted (MatMulNBits, MatMulInteger) carry no scope; the node that consumes their output
        // (the bias Add of the same Linear) does, so a scope is borrowed from up to four nodes downstream
        // (MatMulInteger -> Cast -> Mul -> Add).
        Map<String, List<OnnxNode>> consumers = new HashMap<>();
        for (OnnxNode n : nodes) {
            for (String in : n.inputs()) {
                if (!in.isEmpty()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
        }
        Map<String, String> scopeOf = new HashMap<>();
        for (OnnxNode n : nodes) {
            String scope = scopeOf(n, consumers, 4);
            if (scope.isEmpty()) {
                continue;
            }
            for (String in : n.inputs()) {
                if (!in.isEmpty()) {
                    scopeOf.putIfAbsent(in, scope);
                }
            }
        }
        // LSTM/GRU/RNN (ONNX operators): W (input 1), R (input 2) and B (input 3) are the recurrent layer's input and
        // hidden weights and biases whatever the scope says (silero-vad's LSTM sits in a module called decoder):
        // aliased to torch's names, which the classifier knows as recurrent.
        Map<String, String> recurrent = new HashMap<>();
        for (OnnxNode n : nodes) {
            if (n.isDefaultDomain()
                    && (n.opType().equals("LSTM")
                            || n.opType().equals("GRU")
                            || n.opType().equals("RNN"))) {
                String[] slots = {null, "weight_ih_l0", "weight_hh_l0", "bias_ih_l0"};
                String scope = scopeOf(n, consumers, 4);
                for (int i = 1; i < Math.min(4, n.inputs().size()); i++) {
                    if (!n.inputs().get(i).isEmpty()) {
                        recurrent.putIfAbsent(
                                n.inputs().get(i),
                                (scope.isEmpty() ? n.opType().toLowerCase(java.util.Locale.ROOT) : scope) + "."
                                        + slots[i]);
                    }
                }
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            if (recurrent.containsKey(t.name())) {
                out.put(t.name(), recurrent.get(t.name()));
                continue;
            }
            String scope = scopeOf.get(t.name());
            if (scope != null && !scope.equals(t.name())) {
                out.put(t.name(), scope + (t.rank() == 1 ? ".bias" : ".weight"));
            }
        }
        return out;
    }

    private static String scopeOf(OnnxNode n, Map<String, List<OnnxNode>> consumers, int hops) {
        if (!n.moduleScope().isEmpty() || hops == 0) {
            return n.moduleScope();
        }
        for (String out : n.outputs()) {
            for (OnnxNode c : consumers.getOrDefault(out, List.of())) {
                String s = scopeOf(c, consumers, hops - 1);
                if (!s.isEmpty()) {
                    return s;
                }
            }
        }
        return "";
    }

    private static Tensor place(
            FoundTensor t, DType dtype, TensorRoles.Decision decision, Path file, ExternalData external) {
        OnnxTensorProto proto = t.proto();
        long[] shape = t.source() == FoundTensor.Source.SPARSE_VALUES ? t.denseShape() : proto.dims();
        long offset;
        long bytes;
        Path holder = file;
        switch (proto.storage()) {
            case TensorStorage.Raw raw -> {
                offset = raw.offset();
                bytes = raw.length();
            }
            case TensorStorage.Typed typed -> {
                // Bytes are elements x dtype size whatever the encoding: varint fields (int64_data, int32_data)
                // store fewer or more bytes than the values take. Only a fixed-width field whose payload has
                // exactly that layout (float_data for FLOAT, double_data for DOUBLE) can be sliced as raw values.
                long elements = Shapes.elements(t.source() == FoundTensor.Source.SPARSE_VALUES ? proto.dims() : shape);
                bytes = dtype.bytesForPadded(elements);
                offset = typed.field().fixedWidth() > 0 && typed.bytes() == bytes ? typed.offset() : -1;
            }
            case TensorStorage.External ext -> {
                ExternalData.Location where = external.locate(proto, ext, ext.expectedBytes());
                holder = where.file();
                offset = where.offset();
                bytes = where.length();
            }
            case TensorStorage.Empty empty -> {
                offset = -1;
                bytes = 0;
            }
        }
        return new Tensor(proto.name(), shape, dtype, decision.role(), decision.parameters(), offset, bytes, holder);
    }

    private static void readOpset(ProtoCursor opset, Map<String, Long> into) {
        String domain = "";
        long version = -1;
        while (opset.hasMore()) {
            int tag = opset.readTag();
            switch (ProtoCursor.fieldNumber(tag)) {
                case OPSET_DOMAIN ->
                    domain = opset.readString("OperatorSetIdProto.domain", TensorProtoParser.MAX_NAME_BYTES);
                case OPSET_VERSION -> {
                    opset.expect(tag, WireFormat.WIRETYPE_VARINT, "OperatorSetIdProto.version");
                    version = opset.readVarint("OperatorSetIdProto.version");
                }
                default -> opset.skip(tag);
            }
        }
        into.put(domain.isEmpty() ? "ai.onnx" : domain, version);
    }

    /**
     * Weights stored narrower than 16-bit floats (integers, packed 4/2-bit, 8-bit floats) are the quantized ones;
     * overhead is every QUANT_OVERHEAD tensor.
     */
    private static OnnxModelInfo.Quantization quantization(List<Tensor> tensors) {
        long params = 0;
        long bytes = 0;
        long overhead = 0;
        for (Tensor t : tensors) {
            if (t.role() == TensorRole.WEIGHT
                    && t.dtype().bitsPerElement() < 16
                    && t.dtype().category() != DType.Category.BOOL) {
                params = Math.addExact(params, t.parameters());
                bytes = Math.addExact(bytes, t.bytes());
            } else if (t.role() == TensorRole.QUANT_OVERHEAD) {
                overhead = Math.addExact(overhead, t.bytes());
            }
        }
        return params == 0 ? OnnxModelInfo.Quantization.NONE : new OnnxModelInfo.Quantization(params, bytes, overhead);
    }
}
