package dev.heft.core.format.tflite;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.HeftException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.ModelReader;
import dev.heft.core.format.io.FileHead;
import dev.heft.core.format.io.MappedFile;
import dev.heft.core.format.zip.ZipDirectory;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a TFLite flatbuffer (tensorflow/lite/schema/schema.fbs, schema version 3) by hand, header only: the tables
 * are walked with {@link FlatTable}'s bounds checks and no tensor data is read.
 *
 * <p>What counts: a tensor whose {@code buffer} index names a non-empty {@code Buffer} (inline {@code data}, or the
 * {@code offset}/{@code size} pair that files over 2 GB use for data appended after the flatbuffer) is stored; a tensor
 * on buffer 0 or an empty buffer is an activation and is not listed. Stored float tensors and stored tensors with
 * quantization scales (int8/uint8/int16 weights, int32 biases of int8 models) are {@link TensorRole#WEIGHT} with one
 * parameter per element; other stored integer/bool/string tensors are {@link TensorRole#CONSTANT} (shapes, axes,
 * lookup tables). A buffer shared by several tensors is counted once, at its first use.
 *
 * <p>Quantization parameters ({@code QuantizationParameters.scale: [float]}, {@code zero_point: [long]}) live inside
 * the flatbuffer, not as tensors: their bytes over all weights are reported as metadata
 * ({@value #PREFIX}quant_overhead_bytes, 4 per scale + 8 per zero point, as stored) and in a note.
 */
public final class TfliteReader implements ModelReader {
    public static final String PREFIX = "tflite.";
    /** schema.fbs {@code file_identifier "TFL3"}, at bytes 4..8 after the root offset. */
    static final byte[] IDENTIFIER = {'T', 'F', 'L', '3'};
    /** TFLite kernels support up to rank 6 or so; 64 only stops a hostile shape vector from costing time per tensor. */
    static final int MAX_RANK = 64;
    /** Tensor and buffer names are short; a cap keeps a hostile file from decoding megabytes per tensor. */
    static final int MAX_NAME_BYTES = 4096;

    // Field indices (declaration order in schema.fbs; vtable slot = 4 + 2 * index).
    private static final int MODEL_VERSION = 0,
            MODEL_SUBGRAPHS = 2,
            MODEL_DESCRIPTION = 3,
            MODEL_BUFFERS = 4,
            MODEL_METADATA = 6;
    private static final int SUBGRAPH_TENSORS = 0, SUBGRAPH_OPERATORS = 3, SUBGRAPH_NAME = 4;
    private static final int TENSOR_SHAPE = 0,
            TENSOR_TYPE = 1,
            TENSOR_BUFFER = 2,
            TENSOR_NAME = 3,
            TENSOR_QUANTIZATION = 4,
            TENSOR_SPARSITY = 6;
    private static final int QUANT_SCALE = 2, QUANT_ZERO_POINT = 3, QUANT_DIMENSION = 6;
    private static final int BUFFER_DATA = 0, BUFFER_OFFSET = 1, BUFFER_SIZE = 2;
    private static final int METADATA_NAME = 0;

    @Override
    public ModelFormat format() {
        return ModelFormat.TFLITE;
    }

    /** The "TFL3" identifier, or a zip holding {@code .tflite}/{@code .task} entries (a MediaPipe bundle). */
    @Override
    public boolean recognises(byte[] head, Path path) throws IOException {
        if (isFlatbuffer(head)) {
            return true;
        }
        if (!ZipDirectory.looksLikeZip(head)) {
            return false;
        }
        try (MappedFile mapped = MappedFile.open(path)) {
            return TfliteBundle.holdsModels(ZipDirectory.read(mapped.segment(), path));
        } catch (HeftException e) {
            return false;
        }
    }

    private static boolean isFlatbuffer(byte[] head) {
        if (head.length < 8) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (head[4 + i] != IDENTIFIER[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A TFLite model (with the models among any associated files packed after it), or a MediaPipe {@code .task}
     * bundle of several; see {@link TfliteBundle}.
     */
    @Override
    public TensorInventory read(Path path) throws IOException {
        // Confined arena: the mapping lives only while this call walks it; tensors keep offsets, not slices.
        try (MappedFile mapped = MappedFile.open(path)) {
            if (ZipDirectory.looksLikeZip(FileHead.read(path))) {
                return TfliteBundle.readTask(mapped.segment(), path);
            }
            return TfliteBundle.withPackedAssets(read(mapped.segment(), path), mapped.segment(), path);
        }
    }

    /** Reads a TFLite model held in {@code data} (the whole file). */
    public static TensorInventory read(MemorySegment data, Path file) {
        FlatTable model = FlatTable.root(data, file, "Model");
        for (int i = 0; i < 4; i++) {
            if (data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 4 + i) != IDENTIFIER[i]) {
                throw new UnsupportedModelException(file, 4, "file identifier is not \"TFL3\"; not a TFLite model");
            }
        }
        long version = model.u32(MODEL_VERSION, "version", 0);
        if (version != 3) {
            throw new UnsupportedModelException(
                    file,
                    model.position(),
                    "Model.version",
                    "TFLite schema version " + version + "; heft reads version 3 (every converter since TF 1.x)");
        }
        FlatTable.Vector buffers = model.vector(MODEL_BUFFERS, "buffers", 4);
        FlatTable.Vector subgraphs = model.vector(MODEL_SUBGRAPHS, "subgraphs", 4);

        List<Tensor> tensors = new ArrayList<>();
        Set<Long> usedBuffers = new HashSet<>();
        long budget = data.byteSize() / 4 + 1; // tensor entries a file of this size can hold without shared vectors
        long activations = 0,
                shared = 0,
                operators = 0,
                scales = 0,
                zeroPoints = 0,
                perChannel = 0,
                constants = 0,
                sparseTensors = 0;
        List<String> notes = new ArrayList<>();
        for (long g = 0; g < subgraphs.count(); g++) {
            FlatTable subgraph = model.tableAt(subgraphs, g, "Model.subgraphs");
            operators += subgraph.vector(SUBGRAPH_OPERATORS, "operators", 4).count();
            String prefix = subgraphs.count() > 1 && g > 0
                    ? subgraph.string(SUBGRAPH_NAME, "name", "subgraph" + g, MAX_NAME_BYTES) + "/"
                    : "";
            FlatTable.Vector tensorVector = subgraph.vector(SUBGRAPH_TENSORS, "tensors", 4);
            budget -= tensorVector.count();
            CorruptModelException.verify(
                    budget >= 0,
                    file,
                    tensorVector.start(),
                    "subgraphs list more tensor " + "entries than a file of " + data.byteSize()
                            + " bytes can hold (vectors shared between tables)");
            for (long t = 0; t < tensorVector.count(); t++) {
                FlatTable tensor = subgraph.tableAt(tensorVector, t, "SubGraph[" + g + "].tensors");
                long bufferIndex = tensor.u32(TENSOR_BUFFER, "buffer", 0);
                CorruptModelException.verify(
                        bufferIndex < Math.max(1, buffers.count()),
                        file,
                        tensor.position(),
                        "tensor " + t + " of subgraph " + g + " names buffer " + bufferIndex + " but the model has "
                                + buffers.count() + " buffers");
                StoredBytes stored = bufferIndex == 0
                        ? StoredBytes.NONE
                        : StoredBytes.of(model.tableAt(buffers, bufferIndex, "Model.buffers"), data, file);
                if (stored.length() == 0) {
                    activations++;
                    continue;
                }
                if (!usedBuffers.add(bufferIndex)) {
                    shared++;
                    continue;
                }
                String name = prefix + tensor.string(TENSOR_NAME, "name", "tensor" + t, MAX_NAME_BYTES);
                long[] shape = shape(tensor, file, name);
                int typeId = tensor.i8(TENSOR_TYPE, "type", (byte) 0);
                TfliteType type = TfliteType.fromId(typeId)
                        .orElseThrow(() -> new UnsupportedModelException(
                                file,
                                tensor.position(),
                                name,
                                "TensorType " + typeId + " is not in schema.fbs as heft knows it"));
                FlatTable quant = tensor.table(TENSOR_QUANTIZATION, "quantization");
                long scaleCount = quant == null
                        ? 0
                        : quant.vector(QUANT_SCALE, "scale", 4).count();
                long zeroCount = quant == null
                        ? 0
                        : quant.vector(QUANT_ZERO_POINT, "zero_point", 8).count();
                if (quant != null && scaleCount > 1) {
                    int dim = quant.i32(QUANT_DIMENSION, "quantized_dimension", 0);
                    CorruptModelException.verify(
                            dim >= 0 && dim < shape.length && shape[dim] == scaleCount,
                            file,
                            quant.position(),
                            name + ": " + scaleCount + " per-channel scales do not match dimension " + dim
                                    + " of shape " + Shapes.format(shape));
                    perChannel++;
                }
                // A sparse tensor (Tensor.sparsity: SparsityParameters, schema.fbs) stores only its non-zero
                // blocks plus index arrays; its parameters are still the dense shape's elements.
                boolean sparse = tensor.field(TENSOR_SPARSITY, 4, "sparsity") >= 0;
                sparseTensors += sparse ? 1 : 0;
                Tensor stored1 = tensorOf(name, shape, type, scaleCount > 0, sparse, stored, file, tensor.position());
                if (stored1.role() == TensorRole.WEIGHT) {
                    scales += scaleCount;
                    zeroPoints += zeroCount;
                } else {
                    constants++;
                }
                tensors.add(stored1);
            }
        }
        long overhead = Math.addExact(Math.multiplyExact(scales, 4L), Math.multiplyExact(zeroPoints, 8L));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(PREFIX + "schema_version", version);
        String description = model.string(MODEL_DESCRIPTION, "description", null, MAX_NAME_BYTES);
        if (description != null) {
            metadata.put(PREFIX + "description", description);
        }
        metadata.put(PREFIX + "subgraphs", subgraphs.count());
        metadata.put(PREFIX + "operators", operators);
        metadata.put(PREFIX + "activation_tensors", activations);
        metadata.put(PREFIX + "quant_scales", scales);
        metadata.put(PREFIX + "quant_zero_points", zeroPoints);
        metadata.put(PREFIX + "quant_overhead_bytes", overhead);
        metadata.put(PREFIX + "per_channel_tensors", perChannel);
        List<Object> metadataNames = metadataNames(model);
        if (!metadataNames.isEmpty()) {
            metadata.put(PREFIX + "metadata", metadataNames);
        }
        if (overhead > 0) {
            notes.add("quantization parameters: " + scales + " scales and " + zeroPoints + " zero points ("
                    + overhead + " bytes in the flatbuffer, " + perChannel + " per-channel weight tensors); TFLite "
                    + "stores them in each tensor's QuantizationParameters, not as tensors");
        }
        if (sparseTensors > 0) {
            notes.add(sparseTensors + " sparse tensor(s): parameters count the dense shape, bytes the stored "
                    + "non-zero values");
        }
        if (shared > 0) {
            notes.add(shared + " tensor(s) reuse a buffer already counted; counted once");
        }
        metadata.put(PREFIX + "constant_tensors", constants);
        return new TensorInventory(ModelFormat.TFLITE, List.of(file), tensors, metadata, Optional.empty(), notes);
    }

    private static long[] shape(FlatTable tensor, Path file, String name) {
        FlatTable.Vector v = tensor.vector(TENSOR_SHAPE, "shape", 4);
        if (v.count() > MAX_RANK) {
            throw new UnsupportedModelException(
                    file, v.start(), name, "rank " + v.count() + " is above the " + MAX_RANK + " heft reads");
        }
        long[] shape = new long[(int) v.count()];
        for (int i = 0; i < shape.length; i++) {
            int d = tensor.intAt(v, i);
            CorruptModelException.verify(
                    d >= 0,
                    file,
                    v.elementAt(i),
                    name + ": stored tensor has dimension " + d + " (only shape_signature may hold -1)");
            shape[i] = d;
        }
        return shape;
    }

    private static Tensor tensorOf(
            String name,
            long[] shape,
            TfliteType type,
            boolean hasScales,
            boolean sparse,
            StoredBytes stored,
            Path file,
            long at) {
        long elements;
        try {
            elements = Shapes.elements(shape);
        } catch (ArithmeticException e) {
            throw new CorruptModelException(file, at, name, "shape " + Shapes.format(shape) + " overflows 64 bits");
        }
        Optional<DType> dtype = type.dtype();
        if (dtype.isEmpty()) {
            // STRING/RESOURCE/VARIANT: variable-length contents, sized by the buffer alone.
            return new Tensor(name, shape, DType.U8, TensorRole.CONSTANT, 0, stored.offset(), stored.length(), file);
        }
        // A sparse tensor stores less than its dense shape needs, and its dense bytes may not fit 64 bits; a dense
        // one must match its buffer exactly, and a shape whose bytes overflow cannot.
        long expected;
        try {
            expected = dtype.get().bytesForPadded(elements);
        } catch (ArithmeticException e) {
            expected = -1;
        }
        if (expected < 0 && !sparse) {
            throw new CorruptModelException(
                    file,
                    at,
                    name,
                    "shape " + Shapes.format(shape) + " of " + type
                            + " needs more bytes than 64 bits can count but its buffer holds " + stored.length());
        }
        // INT4 weights are packed two per byte by newer converters, one per byte by older ones; both are valid.
        boolean unpackedInt4 = type == TfliteType.INT4 && stored.length() == elements;
        if (stored.length() != expected && !unpackedInt4 && !sparse) {
            throw new CorruptModelException(
                    file,
                    at,
                    name,
                    "shape " + Shapes.format(shape) + " of " + type + " needs " + expected
                            + " bytes but its buffer holds " + stored.length());
        }
        boolean weight = type.isFloat() || hasScales;
        Tensor t = Tensor.weight(name, shape, dtype.get(), stored.offset(), stored.length(), file);
        return weight ? t : t.withRole(TensorRole.CONSTANT);
    }

    private static List<Object> metadataNames(FlatTable model) {
        FlatTable.Vector v = model.vector(MODEL_METADATA, "metadata", 4);
        List<Object> names = new ArrayList<>();
        for (long i = 0; i < v.count() && i < 64; i++) {
            names.add(model.tableAt(v, i, "Model.metadata").string(METADATA_NAME, "name", "", MAX_NAME_BYTES));
        }
        return names;
    }

    /** Where a Buffer's bytes are: inline {@code data: [ubyte]}, or {@code offset}/{@code size} (schema.fbs Buffer). */
    record StoredBytes(long offset, long length) {
        static final StoredBytes NONE = new StoredBytes(-1, 0);

        static StoredBytes of(FlatTable buffer, MemorySegment data, Path file) {
            FlatTable.Vector inline = buffer.vector(BUFFER_DATA, "data", 1);
            if (inline.count() > 0) {
                return new StoredBytes(inline.start(), inline.count());
            }
            long offset = buffer.u64(BUFFER_OFFSET, "offset", 0);
            long size = buffer.u64(BUFFER_SIZE, "size", 0);
            // offset 0 and 1 both mean "no external data" (the converter writes 1 as a placeholder).
            if (offset <= 1 || size == 0) {
                return NONE;
            }
            CorruptModelException.verify(
                    size > 0 && offset > 0 && offset <= data.byteSize() - size && size <= data.byteSize(),
                    file,
                    buffer.position(),
                    "Buffer.offset " + offset + " + size " + size + " lies past the end of the file (" + data.byteSize()
                            + " bytes)");
            return new StoredBytes(offset, size);
        }
    }
}
