package dev.heft.core.format.safetensors;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonNull;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.json.JsonValue.JsonString;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.InventoryLimits;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a safetensors header's bytes into a validated {@link SafetensorsHeader}, enforcing the rules of the reference
 * implementation (huggingface/safetensors, {@code safetensors/src/tensor.rs}: {@code HashMetadata},
 * {@code Metadata::validate}, {@code read_metadata}):
 * <ul>
 *   <li>the header is UTF-8 JSON that starts with {@code '{'} and may be padded with trailing spaces;</li>
 *   <li>{@code __metadata__}, if present, maps strings to strings ({@code Option<HashMap<String, String>>});</li>
 *   <li>every other key is a tensor with {@code dtype} (a known name), {@code shape} ({@code Vec<usize>}) and
 *       {@code data_offsets} ({@code (usize, usize)}: [begin, end) relative to the data section);</li>
 *   <li>begin &lt;= end; end lies within the file; end - begin == bits(dtype) x elements / 8, where the bit count
 *       must be a whole number of bytes (F4 and the F6 types pack below a byte);</li>
 *   <li>sorted by offsets, the ranges start at 0, touch with no gap or overlap, and end exactly at the end of file
 *       ({@code MetadataIncompleteBuffer}).</li>
 * </ul>
 * Pure: no I/O, so tests and the fuzzer drive it directly with bytes.
 */
final class HeaderParser {
    /** Tensor entry fields ({@code struct TensorInfo}). */
    private static final String DTYPE = "dtype";

    private static final String SHAPE = "shape";
    private static final String DATA_OFFSETS = "data_offsets";
    /** The reserved key for free-form string metadata ({@code #[serde(rename = "__metadata__")]}). */
    static final String METADATA_KEY = "__metadata__";

    private HeaderParser() {}

    /**
     * @param file     the file, for messages and for {@link Tensor#file()}
     * @param fileSize the whole file's size in bytes
     * @param header   the N header bytes (file bytes {@code [8, 8 + N)})
     */
    static SafetensorsHeader parse(Path file, long fileSize, byte[] header) {
        return parse(file, fileSize, header, header.length, new ColumnarHeaderParser(), null);
    }

    /**
     * {@link #parse} of the header {@code header[0, length)} (a reader's reused buffer), through {@code columns}
     * (one per thread, reused from header to header), with the tensors' names taken from {@code known} where they
     * match (may be {@code null}).
     */
    static SafetensorsHeader parse(
            Path file,
            long fileSize,
            byte[] header,
            int length,
            ColumnarHeaderParser columns,
            IndexColumns.KnownNames known) {
        // The common case in one pass straight into columns; anything unusual or wrong is decided (and worded) below.
        SafetensorsHeader fast = columns.read(file, fileSize, header, length, known);
        return fast != null ? fast : strict(file, fileSize, Arrays.copyOf(header, length));
    }

    /** {@link #parse} through the JSON tree, every rule checked in turn: the reference for the fast path. */
    static SafetensorsHeader strict(Path file, long fileSize, byte[] header) {
        final long headerStart = SafetensorsHeader.LENGTH_PREFIX_BYTES;
        long dataStart = headerStart + header.length;
        CorruptModelException.verify(
                dataStart <= fileSize,
                file,
                0,
                "header of " + header.length + " bytes runs past the end of the file (" + fileSize + " bytes)");
        // safetensors 0.4+: "the header must start with '{'" (InvalidHeaderStart); padding is only allowed after.
        CorruptModelException.verify(
                header.length > 0 && header[0] == '{',
                file,
                headerStart,
                "header must start with '{'"
                        + (header.length == 0
                                ? " but is empty"
                                : String.format(" but starts with byte 0x%02x", header[0] & 0xff)));
        refuseTooManyTensors(file, header);
        JsonValue root = JsonText.parse(file, headerStart, header, "safetensors header");
        if (!(root instanceof JsonObject object)) {
            throw new CorruptModelException(
                    file, headerStart, "header must be a JSON object, found " + root.typeName());
        }
        long dataLength = fileSize - dataStart;

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>(object.members().size());
        for (Map.Entry<String, JsonValue> member : object.members().entrySet()) {
            if (member.getKey().equals(METADATA_KEY)) {
                metadata = metadata(file, member.getValue());
            } else {
                entries.add(entry(file, member.getKey(), member.getValue(), dataStart, dataLength));
            }
        }
        checkCoverage(file, dataStart, dataLength, entries);

        List<Tensor> tensors = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            tensors.add(Tensor.weight(e.name, e.shape, e.dtype, dataStart + e.begin, e.end - e.begin, file));
        }
        return new SafetensorsHeader(file, header.length, fileSize, tensors, metadata);
    }

    private static final byte[] OFFSETS_KEY = ("\"" + DATA_OFFSETS + "\"").getBytes(StandardCharsets.US_ASCII);

    /**
     * Every tensor entry has a {@code "data_offsets"} key, so a header that spells it more often than
     * {@link InventoryLimits#MAX_TENSORS} times holds more tensors than heft reads: refused with one pass over the
     * bytes, before the JSON tree of a million entries is built (a 71 MB header of 1.2M tensors took 30 s and 1.6 GB
     * to be refused after parsing).
     */
    static void refuseTooManyTensors(Path file, byte[] header) {
        long count = 0;
        for (int i = 0; i <= header.length - OFFSETS_KEY.length; i++) {
            if (header[i] == '"'
                    && header[i + 1] == 'd'
                    && java.util.Arrays.equals(header, i, i + OFFSETS_KEY.length, OFFSETS_KEY, 0, OFFSETS_KEY.length)) {
                if (++count > InventoryLimits.MAX_TENSORS) {
                    throw new UnsupportedModelException(
                            file,
                            SafetensorsHeader.LENGTH_PREFIX_BYTES,
                            "header holds more " + "than " + InventoryLimits.MAX_TENSORS
                                    + " tensor entries; heft reads at most that many");
                }
                i += OFFSETS_KEY.length - 1;
            }
        }
    }

    /** One tensor entry as declared, offsets still relative to the data section. */
    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    private static Map<String, String> metadata(Path file, JsonValue value) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value instanceof JsonNull) {
            return out; // Option::None
        }
        if (!(value instanceof JsonObject object)) {
            throw new CorruptModelException(
                    file, METADATA_KEY, "expected an object of string values, found " + value.typeName());
        }
        for (Map.Entry<String, JsonValue> m : object.members().entrySet()) {
            if (!(m.getValue() instanceof JsonString s)) {
                throw new CorruptModelException(
                        file,
                        METADATA_KEY + "." + m.getKey(),
                        "__metadata__ values must be strings, found "
                                + m.getValue().typeName());
            }
            out.put(m.getKey(), s.value());
        }
        return out;
    }

    private static Entry entry(Path file, String name, JsonValue value, long dataStart, long dataLength) {
        if (!(value instanceof JsonObject info)) {
            throw new CorruptModelException(
                    file, name, "expected a tensor entry {dtype, shape, data_offsets}, found " + value.typeName());
        }
        DType dtype = dtype(file, name, info);
        long[] shape = shape(file, name, info);
        long[] offsets = offsets(file, name, info);
        long begin = offsets[0];
        long end = offsets[1];

        if (begin > end) {
            throw new CorruptModelException(
                    file, name, "data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        if (end > dataLength) {
            // Name the absolute byte the tensor claims to reach (saturated: a hostile end may be near 2^63).
            long absoluteEnd = end > Long.MAX_VALUE - dataStart ? Long.MAX_VALUE : dataStart + end;
            throw new CorruptModelException(
                    file,
                    absoluteEnd,
                    name,
                    "data_offsets [" + begin + ", " + end
                            + "] run past the end of the file: the data section holds " + dataLength + " bytes (bytes "
                            + dataStart + " to " + (dataStart + dataLength) + ")");
        }
        long elements = elements(file, name, shape);
        long expected = bytes(file, name, dtype, shape, elements);
        if (end - begin != expected) {
            throw new CorruptModelException(
                    file,
                    name,
                    "data_offsets [" + begin + ", " + end + "] hold " + (end - begin) + " bytes but " + dtype + " "
                            + Shapes.format(shape) + " needs " + expected);
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static DType dtype(Path file, String name, JsonObject info) {
        JsonValue v = required(file, name, info, DTYPE);
        if (!(v instanceof JsonString s)) {
            throw new CorruptModelException(file, name, "dtype must be a string, found " + v.typeName());
        }
        return DType.fromSafetensors(s.value())
                .orElseThrow(() -> new UnsupportedModelException(
                        file,
                        name,
                        "dtype '" + s.value() + "' is not a safetensors dtype heft knows (known: " + knownDtypes()
                                + ")"));
    }

    private static long[] shape(Path file, String name, JsonObject info) {
        JsonValue v = required(file, name, info, SHAPE);
        if (!(v instanceof JsonArray dims)) {
            throw new CorruptModelException(file, name, "shape must be an array of dimensions, found " + v.typeName());
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = JsonText.nonNegativeLong(dims.get(i));
            if (shape[i] < 0) {
                throw new CorruptModelException(
                        file,
                        name,
                        "shape[" + i + "] must be a non-negative integer below " + "2^63, found "
                                + describe(dims.get(i)));
            }
        }
        return shape;
    }

    private static long[] offsets(Path file, String name, JsonObject info) {
        JsonValue v = required(file, name, info, DATA_OFFSETS);
        if (!(v instanceof JsonArray pair) || pair.size() != 2) {
            throw new CorruptModelException(
                    file,
                    name,
                    "data_offsets must be an array [begin, end], found "
                            + (v instanceof JsonArray a ? "an array of " + a.size() : v.typeName()));
        }
        long[] out = new long[2];
        for (int i = 0; i < 2; i++) {
            out[i] = JsonText.nonNegativeLong(pair.get(i));
            if (out[i] < 0) {
                throw new CorruptModelException(
                        file,
                        name,
                        "data_offsets[" + i + "] must be a non-negative integer " + "below 2^63, found "
                                + describe(pair.get(i)));
            }
        }
        return out;
    }

    private static JsonValue required(Path file, String name, JsonObject info, String field) {
        JsonValue v = info.members().get(field);
        if (v == null) {
            throw new CorruptModelException(
                    file, name, "tensor entry has no '" + field + "' (each entry needs dtype, shape and data_offsets)");
        }
        return v;
    }

    private static long elements(Path file, String name, long[] shape) {
        try {
            return Shapes.elements(shape);
        } catch (ArithmeticException e) {
            throw new CorruptModelException(
                    file, name, "shape " + Shapes.format(shape) + " has more elements than fit in 64 bits");
        }
    }

    /** bits(dtype) x elements / 8, which must be whole (DType stores sub-byte types as whole-byte blocks). */
    private static long bytes(Path file, String name, DType dtype, long[] shape, long elements) {
        if (!dtype.fitsBlocks(elements)) {
            throw new CorruptModelException(
                    file,
                    name,
                    elements + " elements of " + dtype + " (" + Shapes.format(shape)
                            + ") are not a whole number of bytes: " + dtype + " packs " + dtype.blockElements()
                            + " elements in " + dtype.blockBytes() + (dtype.blockBytes() == 1 ? " byte" : " bytes"));
        }
        try {
            return dtype.bytesFor(elements);
        } catch (ArithmeticException e) {
            throw new CorruptModelException(
                    file, name, dtype + " " + Shapes.format(shape) + " needs more bytes than fit in 64 bits");
        }
    }

    /**
     * Sorted by (begin, end) the ranges must tile the data section: the reference's {@code validate} walks them
     * requiring {@code begin == previous end}, and {@code read_metadata} requires the last end to be the file's end.
     */
    private static void checkCoverage(Path file, long dataStart, long dataLength, List<Entry> entries) {
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : entries) {
            if (e.begin < covered) {
                throw new CorruptModelException(
                        file,
                        dataStart + e.begin,
                        e.name,
                        "data_offsets [" + e.begin + ", "
                                + e.end + "] overlap tensor '" + previous.name + "' [" + previous.begin + ", "
                                + previous.end
                                + "]; tensors must not share bytes");
            }
            if (e.begin > covered) {
                throw new CorruptModelException(
                        file,
                        dataStart + covered,
                        e.name,
                        "gap of " + (e.begin - covered)
                                + " bytes before this tensor (data_offsets begin " + e.begin
                                + ", previous tensor ends at "
                                + covered + "); tensors must cover the data section with no holes");
            }
            covered = e.end;
            previous = e;
        }
        if (covered != dataLength) {
            throw new CorruptModelException(
                    file,
                    dataStart + covered,
                    (dataLength - covered)
                            + " bytes after the last tensor are not covered by any tensor; the data section ("
                            + dataLength + " bytes from byte " + dataStart + ") must end where the last tensor ends");
        }
    }

    private static String describe(JsonValue v) {
        return v instanceof JsonValue.JsonNumber n ? n.value().toString() : v.typeName();
    }

    private static String knownDtypes() {
        return Arrays.stream(DType.values())
                .map(DType::safetensorsName)
                .filter(n -> n != null)
                .collect(Collectors.joining(", "));
    }
}
