package dev.heft.core.format.gguf;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.io.SegmentReader;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.TensorInventory.MetadataArray;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses one GGUF header from a mapped file (ggml docs/gguf.md, "File Structure"):
 *
 * <pre>
 * uint32 magic "GGUF"; uint32 version;
 * uint64 tensor_count; uint64 metadata_kv_count;         (uint32 in v1)
 * gguf_metadata_kv_t metadata_kv[metadata_kv_count];
 * gguf_tensor_info_t tensor_infos[tensor_count];
 * uint8 _padding[];                                      (to general.alignment, default 32)
 * uint8 tensor_data[];
 * </pre>
 *
 * Every count and length is checked against the bytes that remain before anything is allocated or walked, so a
 * hostile header can make heft neither allocate nor loop more than the file's own size allows. Tensor data is only
 * located and bounds-checked, never read.
 */
final class GgufParser {
    /** Arrays up to this length are kept whole in the metadata; longer ones are summarised. */
    static final int LIST_LIMIT = 64;
    /** Elements kept at the head of a summarised array. */
    static final int HEAD = 8;
    /** GGML_MAX_DIMS (ggml.h). */
    static final int MAX_DIMS = 4;
    /** GGML_MAX_NAME (ggml.h): gguf.cpp refuses tensor names of this many bytes or more. */
    static final int GGML_MAX_NAME = 64;
    /** docs/gguf.md: "If the alignment is not specified, assume it is 32". GGUF_DEFAULT_ALIGNMENT in gguf.h. */
    static final long DEFAULT_ALIGNMENT = 32;

    static final String ALIGNMENT_KEY = "general.alignment";
    /** gguf-py reads nested arrays; ggml does not. Deeper nesting than this is refused rather than recursed into. */
    private static final int MAX_ARRAY_DEPTH = 8;

    private static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32

    private final SegmentReader r;
    private final Path file;
    /**
     * The whole file's size, against which tensor data ranges are checked: the segment's size when the whole file is
     * mapped, larger when only a header prefix is at hand ({@link GgufReader#parseHeader}).
     */
    private final long fileSize;

    private GgufVersion version;
    private long invalidUtf8Strings;

    private GgufParser(MemorySegment seg, Path file, long fileSize) {
        this.file = file;
        this.fileSize = fileSize;
        this.r = new SegmentReader(seg, file);
    }

    static GgufFile parse(MemorySegment seg, Path file) {
        return parse(seg, file, seg.byteSize());
    }

    /**
     * Parses the header in {@code seg}, which may be only a prefix of a file of {@code fileSize} bytes: header fields
     * must lie inside {@code seg}; tensor data ranges are checked against {@code fileSize} but never touched.
     */
    static GgufFile parse(MemorySegment seg, Path file, long fileSize) {
        if (fileSize < seg.byteSize()) {
            throw new dev.heft.core.error.InvalidInputException(file + ": declared file size " + fileSize
                    + " is smaller than the " + seg.byteSize() + " header bytes given");
        }
        try {
            return new GgufParser(seg, file, fileSize).parse();
        } catch (ArithmeticException e) {
            // Every sum and product below is exact; one that overflows means the header's numbers cannot be real.
            throw new CorruptModelException(file, 0L, "header numbers overflow a 64-bit size: " + e.getMessage(), e);
        }
    }

    private GgufFile parse() {
        int magic = r.i32("GGUF magic");
        if (magic != MAGIC) {
            throw new UnsupportedModelException(file, 0L, "not a GGUF file: the first 4 bytes are not 'GGUF'");
        }
        long rawVersion = r.u32("GGUF version");
        version = GgufVersion.of(rawVersion);
        if (version == null) {
            if (rawVersion != 0 && (rawVersion & 0xFFFF) == 0) {
                // v3 allows big-endian files; their version field reads byte-swapped here (gguf-py detects it so).
                throw new UnsupportedModelException(
                        file,
                        4L,
                        "big-endian GGUF (version field " + rawVersion + " is a byte-swapped "
                                + Integer.reverseBytes((int) rawVersion) + "); heft reads little-endian GGUF");
            }
            throw new UnsupportedModelException(
                    file, 4L, "GGUF version " + rawVersion + "; heft reads versions 1 to 3");
        }
        long tensorCount = count("tensor_count");
        long kvCount = count("metadata_kv_count");

        // A KV is at least a key length, a value type and a 1-byte value.
        long minKv = version.countBytes() + 4L + 1L;
        boundCount(kvCount, minKv, "metadata_kv_count");
        Map<String, Object> metadata = new LinkedHashMap<>();
        Map<String, GgufValueType> types = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            long at = r.position();
            String key = strictString("metadata key " + i);
            long typeAt = r.position();
            GgufValueType type = valueType(r.u32("value type of '" + key + "'"), key, typeAt);
            if (metadata.containsKey(key)) {
                // gguf.cpp refuses duplicate keys; a map keyed by name could not hold both anyway.
                throw new CorruptModelException(file, at, key, "duplicate metadata key");
            }
            metadata.put(key, value(type, key, 0));
            types.put(key, type);
        }
        long alignment = alignment(metadata, types);

        // A tensor info is at least a name length, n_dims, a type and an offset (no dims when n_dims is 0).
        long minInfo = version.countBytes() + 4L + 4L + 8L;
        boundCount(tensorCount, minInfo, "tensor_count");
        List<GgufTensorInfo> tensors = new ArrayList<>();
        List<Long> infoOffsets = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (long i = 0; i < tensorCount; i++) {
            long at = r.position();
            GgufTensorInfo t = tensorInfo(i, alignment);
            if (!names.add(t.name())) {
                throw new CorruptModelException(file, at, t.name(), "duplicate tensor name");
            }
            tensors.add(t);
            infoOffsets.add(at);
        }
        long headerEnd = r.position();
        long dataOffset = Math.addExact(headerEnd, padding(headerEnd, alignment));
        GgufDataLayout.check(file, fileSize, tensors, infoOffsets, dataOffset);

        List<String> notes = new ArrayList<>();
        notes.addAll(GgufDataLayout.llamaCppNotes(tensors, alignment));
        if (invalidUtf8Strings > 0) {
            notes.add(invalidUtf8Strings + " metadata string value(s) are not valid UTF-8 (shown with U+FFFD); "
                    + "llama.cpp stores them as raw bytes");
        }
        return new GgufFile(file, fileSize, version, alignment, dataOffset, metadata, types, tensors, notes);
    }

    // ---- header fields ----

    /** A count or length: uint32 in v1, uint64 from v2. A uint64 at or above 2^63 cannot describe anything in a file. */
    private long count(String what) {
        long at = r.position();
        long n = version == GgufVersion.V1 ? r.u32(what) : r.i64(what);
        if (n < 0) {
            throw new CorruptModelException(
                    file, at, what + " is " + Long.toUnsignedString(n) + ", larger than any file");
        }
        return n;
    }

    /** Refuses {@code count} items of at least {@code minBytes} each when fewer bytes than that remain. */
    private void boundCount(long count, long minBytes, String what) {
        if (count > r.remaining() / minBytes) {
            throw new CorruptModelException(
                    file,
                    r.position(),
                    what + " is " + count + ", but " + count + " entries need at " + "least " + minBytes
                            + " bytes each and only " + r.remaining() + " bytes remain");
        }
    }

    private GgufValueType valueType(long id, String key, long at) {
        return GgufValueType.fromId(id)
                .orElseThrow(() -> new CorruptModelException(
                        file, at, key, "unknown metadata value type " + id + " (gguf_metadata_value_type is 0..12)"));
    }

    private long alignment(Map<String, Object> metadata, Map<String, GgufValueType> types) {
        if (!metadata.containsKey(ALIGNMENT_KEY)) {
            return DEFAULT_ALIGNMENT;
        }
        // docs/gguf.md: "general.alignment: uint32". gguf.cpp reads it with gguf_get_val_u32 and requires a nonzero
        // power of two (the spec's prose also says "a multiple of 8"; ggml does not enforce that, so neither does
        // heft).
        if (types.get(ALIGNMENT_KEY) != GgufValueType.UINT32) {
            throw new CorruptModelException(file, ALIGNMENT_KEY, "must be a uint32, found " + types.get(ALIGNMENT_KEY));
        }
        long a = (Long) metadata.get(ALIGNMENT_KEY);
        if (a == 0 || (a & (a - 1)) != 0) {
            throw new CorruptModelException(file, ALIGNMENT_KEY, "alignment " + a + " is not a nonzero power of two");
        }
        return a;
    }

    static long padding(long position, long alignment) {
        long rem = position % alignment;
        return rem == 0 ? 0 : alignment - rem;
    }

    // ---- metadata values ----

    private Object value(GgufValueType type, String key, int depth) {
        return switch (type) {
            case UINT8 -> (long) r.u8(key);
            case INT8 -> (long) r.i8(key);
            case UINT16 -> (long) Short.toUnsignedInt(r.i16(key));
            case INT16 -> (long) r.i16(key);
            case UINT32 -> r.u32(key);
            case INT32 -> (long) r.i32(key);
            case FLOAT32 -> (double) r.f32(key);
            case BOOL -> r.u8(key) != 0;
            case STRING -> valueString(key);
            case ARRAY -> array(key, depth + 1);
            case UINT64, INT64 -> r.i64(key);
            case FLOAT64 -> r.f64(key);
        };
    }

    private Object array(String key, int depth) {
        long typeAt = r.position();
        if (depth > MAX_ARRAY_DEPTH) {
            throw new UnsupportedModelException(
                    file, typeAt, key, "arrays nested deeper than " + MAX_ARRAY_DEPTH + " levels");
        }
        GgufValueType elementType = valueType(r.u32(key + ": array element type"), key, typeAt);
        long length = count(key + ": array length");
        long minElement = switch (elementType) {
            case STRING -> version.countBytes();
            case ARRAY -> 4L + version.countBytes();
            default -> elementType.fixedBytes();
        };
        boundCount(length, minElement, key + ": array length");
        if (length <= LIST_LIMIT) {
            List<Object> items = new ArrayList<>((int) length);
            for (long i = 0; i < length; i++) {
                items.add(value(elementType, key, depth));
            }
            return items;
        }
        List<Object> head = new ArrayList<>(HEAD);
        for (int i = 0; i < HEAD; i++) {
            head.add(value(elementType, key, depth));
        }
        long rest = length - HEAD;
        if (elementType.isFixedSize()) {
            r.skip(Math.multiplyExact(rest, (long) elementType.fixedBytes()), key + ": array elements");
        } else if (elementType == GgufValueType.STRING) {
            // The descriptions are built once: per-element string concatenation was most of the cost of a vocabulary.
            String lengthWhat = key + ": string length";
            String bytesWhat = key + ": string";
            for (long i = 0; i < rest; i++) {
                skipString(lengthWhat, bytesWhat);
            }
        } else {
            for (long i = 0; i < rest; i++) {
                value(elementType, key, depth); // nested arrays beyond the head: walked and checked, then dropped
            }
        }
        return new MetadataArray(elementType.name(), length, head);
    }

    // ---- strings ----

    /** Key and tensor-name strings: identities, so bytes that are not UTF-8 make the file corrupt. */
    private String strictString(String what) {
        long len = count(what + ": string length");
        return r.utf8(len, what);
    }

    /**
     * String values: checked for UTF-8, but a bad one is kept (with U+FFFD) and reported in the notes rather than
     * failing the file, because llama.cpp stores token bytes as they are and loads such vocabularies happily.
     */
    private String valueString(String key) {
        long len = count(key + ": string length");
        boolean valid = r.isUtf8(len, key + ": string");
        byte[] raw = r.bytes(len, key + ": string");
        if (!valid) {
            invalidUtf8Strings++;
        }
        return new String(raw, StandardCharsets.UTF_8);
    }

    /** Walks one string of a long array: bounds and UTF-8 checked in place, nothing allocated. */
    private void skipString(String lengthWhat, String bytesWhat) {
        long len = count(lengthWhat);
        if (!r.isUtf8(len, bytesWhat)) {
            invalidUtf8Strings++;
        }
        r.skip(len, bytesWhat);
    }

    // ---- tensor infos ----

    private GgufTensorInfo tensorInfo(long index, long alignment) {
        String name = strictString("tensor " + index + " name");
        long dimsAt = r.position();
        long nDims = r.u32(name + ": n_dims");
        if (nDims > MAX_DIMS) {
            throw new CorruptModelException(
                    file,
                    dimsAt,
                    name,
                    "n_dims is " + nDims + "; ggml tensors have at most " + MAX_DIMS + " (GGML_MAX_DIMS)");
        }
        long[] ne = new long[(int) nDims];
        long elements = 1;
        for (int j = 0; j < nDims; j++) {
            long at = r.position();
            // int64_t ne[j] from v2 (uint64 in the spec's struct); uint32 in v1.
            ne[j] = version == GgufVersion.V1 ? r.u32(name + ": ne[" + j + "]") : r.i64(name + ": ne[" + j + "]");
            if (ne[j] <= 0) {
                throw new CorruptModelException(
                        file, at, name, "dimension ne[" + j + "] is " + ne[j] + "; every dimension must be at least 1");
            }
            if (elements > Long.MAX_VALUE / ne[j]) {
                throw new CorruptModelException(
                        file, at, name, "element count " + Arrays.toString(ne) + " overflows a 64-bit integer");
            }
            elements *= ne[j];
        }
        long typeAt = r.position();
        long typeId = r.u32(name + ": ggml type");
        DType type = DType.fromGgmlId(typeId)
                .orElseThrow(() -> new UnsupportedModelException(
                        file, typeAt, name, "unknown ggml type id " + typeId + " (heft knows ggml types up to id 42)"));
        long rowLength = nDims == 0 ? 1 : ne[0];
        if (!type.fitsBlocks(rowLength)) {
            // gguf.cpp: "tensor ... of type ... has ne[0] not divisible by the block size"
            throw new CorruptModelException(
                    file,
                    typeAt,
                    name,
                    "row length ne[0] = " + rowLength + " is not a whole number of " + type + " blocks of "
                            + type.blockElements());
        }
        long bytes;
        try {
            bytes = type.bytesFor(elements);
        } catch (ArithmeticException e) {
            throw new CorruptModelException(
                    file, typeAt, name, elements + " elements of " + type + " overflow a 64-bit byte count");
        }
        long offsetAt = r.position();
        long offset = r.i64(name + ": offset");
        if (offset < 0) {
            throw new CorruptModelException(
                    file, offsetAt, name, "data offset " + Long.toUnsignedString(offset) + " is larger than any file");
        }
        if (offset % alignment != 0) {
            // docs/gguf.md: "Must be a multiple of ALIGNMENT."
            throw new CorruptModelException(
                    file, offsetAt, name, "data offset " + offset + " is not a multiple of the alignment " + alignment);
        }
        return new GgufTensorInfo(name, ne, type, offset, bytes);
    }
}
