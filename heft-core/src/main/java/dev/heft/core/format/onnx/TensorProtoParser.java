package dev.heft.core.format.onnx;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.tensor.Shapes;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Parses one {@code TensorProto} (onnx/onnx.proto) and checks that its stored values agree with {@code dims} x
 * {@code data_type}. Payloads are located, never copied: {@code raw_data} becomes an absolute range, typed fields a
 * range plus a value count (counted from varint terminators in place, without decoding onto the heap).
 */
final class TensorProtoParser {
    // TensorProto field numbers (onnx.proto).
    private static final int DIMS = 1;
    private static final int DATA_TYPE = 2;
    private static final int SEGMENT = 3;
    private static final int NAME = 8;
    private static final int RAW_DATA = 9;
    private static final int EXTERNAL_DATA = 13;
    private static final int DATA_LOCATION = 14;
    // StringStringEntryProto: optional string key = 1; optional string value = 2.
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;

    static final int MAX_NAME_BYTES = 1 << 20;
    /** ONNX tensors have at most a handful of dims; a thousand is far past any real model and caps the array. */
    private static final int MAX_RANK = 1024;

    private final MemorySegment segment;

    TensorProtoParser(MemorySegment segment) {
        this.segment = segment;
    }

    /** Parses the TensorProto that {@code in} spans; {@code fallbackName} names tensors stored without a name. */
    OnnxTensorProto parse(ProtoCursor in, String fallbackName) {
        long at = in.position();
        String name = null;
        Dims dims = new Dims(in);
        long dataTypeId = -1;
        ProtoCursor.ByteRange raw = null;
        TypedRuns typed = null;
        int location = 0;
        String extLocation = null;
        long extOffset = -1;
        long extLength = -1;
        long extAt = -1;
        while (in.hasMore()) {
            int tag = in.readTag();
            int field = ProtoCursor.fieldNumber(tag);
            switch (field) {
                case DIMS -> in.readInt64s(tag, "TensorProto.dims", dims::add);
                case DATA_TYPE -> {
                    in.expect(tag, WireFormat.WIRETYPE_VARINT, "TensorProto.data_type");
                    dataTypeId = in.readVarint("TensorProto.data_type");
                }
                case SEGMENT ->
                    throw new UnsupportedModelException(
                            in.file(),
                            in.position(),
                            name,
                            "TensorProto.segment (a tensor split into chunks) is not supported");
                case NAME -> {
                    in.expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TensorProto.name");
                    name = in.readString("TensorProto.name", MAX_NAME_BYTES);
                }
                case RAW_DATA -> {
                    in.expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TensorProto.raw_data");
                    CorruptModelException.verify(
                            raw == null, in.file(), in.position(), "TensorProto.raw_data appears twice");
                    raw = in.readRange("TensorProto.raw_data");
                }
                case EXTERNAL_DATA -> {
                    in.expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TensorProto.external_data");
                    long entryAt = in.position();
                    ProtoCursor entry = in.readMessage("TensorProto.external_data entry");
                    String key = null;
                    String value = null;
                    while (entry.hasMore()) {
                        int t = entry.readTag();
                        switch (ProtoCursor.fieldNumber(t)) {
                            case ENTRY_KEY -> key = entry.readString("external_data key", MAX_NAME_BYTES);
                            case ENTRY_VALUE -> value = entry.readString("external_data value", MAX_NAME_BYTES);
                            default -> entry.skip(t);
                        }
                    }
                    if (key == null || value == null) {
                        throw new CorruptModelException(
                                in.file(), entryAt, name, "external_data entry without key or value");
                    }
                    switch (key) {
                        case "location" -> {
                            extLocation = value;
                            extAt = entryAt;
                        }
                        case "offset" -> extOffset = parseDecimal(value, in, entryAt, name, "offset");
                        case "length" -> extLength = parseDecimal(value, in, entryAt, name, "length");
                        default -> {
                            // "checksum" and future keys say nothing about where the bytes are.
                        }
                    }
                }
                case DATA_LOCATION -> {
                    in.expect(tag, WireFormat.WIRETYPE_VARINT, "TensorProto.data_location");
                    long v = in.readVarint("TensorProto.data_location");
                    if (v != 0 && v != 1) {
                        throw new CorruptModelException(
                                in.file(),
                                in.position(),
                                name,
                                "data_location " + v + " (expected 0 DEFAULT or 1 EXTERNAL)");
                    }
                    location = (int) v;
                }
                default -> {
                    var typedField = OnnxDataType.TypedField.byFieldNumber(field);
                    if (typedField.isPresent()) {
                        if (typed == null) {
                            typed = new TypedRuns(typedField.get());
                        } else if (typed.field != typedField.get()) {
                            throw new CorruptModelException(
                                    in.file(),
                                    in.position(),
                                    name,
                                    "values in both " + typed.field + " and " + typedField.get());
                        }
                        typed.add(in, tag);
                    } else {
                        in.skip(tag);
                    }
                }
            }
        }
        String tensorName = name == null || name.isEmpty() ? fallbackName : name;
        if (dataTypeId == -1 || dataTypeId == 0) {
            throw new CorruptModelException(in.file(), at, tensorName, "TensorProto without data_type (UNDEFINED)");
        }
        long typeId = dataTypeId;
        OnnxDataType type = OnnxDataType.fromId(dataTypeId)
                .orElseThrow(() -> new UnsupportedModelException(
                        in.file(),
                        at,
                        tensorName,
                        "TensorProto.data_type " + typeId + " is not a type heft knows (1 to 26, onnx 1.20)"));
        long[] shape = dims.toArray();
        long elements;
        long expectedBytes;
        long expectedValues;
        try {
            elements = Shapes.elements(shape);
            // STRING has no fixed width: its byte count is whatever string_data holds.
            expectedBytes = type.dtype().isPresent() ? type.dtype().get().bytesForPadded(elements) : -1;
            expectedValues = type.typedValuesFor(elements);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new CorruptModelException(
                    in.file(),
                    at,
                    tensorName,
                    "dims " + Arrays.toString(shape) + " x " + type + " are negative or overflow 64 bits");
        }
        TensorStorage storage;
        if (location == 1) {
            if (raw != null || typed != null) {
                throw new CorruptModelException(in.file(), at, tensorName, "EXTERNAL tensor also holds inline data");
            }
            if (extLocation == null) {
                throw new CorruptModelException(
                        in.file(), at, tensorName, "data_location EXTERNAL without an external_data 'location' entry");
            }
            if (type == OnnxDataType.STRING) {
                throw new CorruptModelException(
                        in.file(), at, tensorName, "STRING tensors cannot be stored externally");
            }
            storage = new TensorStorage.External(extLocation, extOffset, extLength, extAt, expectedBytes);
        } else if (raw != null) {
            CorruptModelException.verify(
                    typed == null,
                    in.file(),
                    at,
                    tensorName + ": values in both raw_data and " + (typed == null ? "" : typed.field));
            CorruptModelException.verify(
                    type != OnnxDataType.STRING,
                    in.file(),
                    raw.offset(),
                    tensorName + ": STRING tensor in raw_data (onnx.proto requires string_data)");
            if (raw.length() != expectedBytes) {
                throw new CorruptModelException(
                        in.file(),
                        raw.offset(),
                        tensorName,
                        "raw_data holds " + raw.length() + " bytes but dims " + Arrays.toString(shape) + " x " + type
                                + " need " + expectedBytes);
            }
            storage = new TensorStorage.Raw(raw.offset(), raw.length());
        } else if (typed != null) {
            if (typed.field != type.typedField()) {
                throw new CorruptModelException(
                        in.file(),
                        typed.offset,
                        tensorName,
                        type + " values stored in " + typed.field + " (onnx.proto stores them in " + type.typedField()
                                + ")");
            }
            if (typed.values != expectedValues) {
                throw new CorruptModelException(
                        in.file(),
                        typed.offset,
                        tensorName,
                        typed.field + " holds "
                                + typed.values + " values but dims " + Arrays.toString(shape) + " x " + type + " need "
                                + expectedValues);
            }
            storage = new TensorStorage.Typed(typed.field, typed.offset, typed.bytes, typed.values);
        } else {
            if (elements != 0) {
                throw new CorruptModelException(
                        in.file(),
                        at,
                        tensorName,
                        "tensor of " + elements + " elements has no data (no raw_data, typed values or external data)");
            }
            storage = new TensorStorage.Empty();
        }
        return new OnnxTensorProto(tensorName, shape, type, storage, at);
    }

    private static long parseDecimal(String value, ProtoCursor in, long at, String name, String key) {
        // onnx stores external offset/length as decimal strings; anything else (signs, hex, spaces) is refused.
        if (value.isEmpty() || value.length() > 19 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new CorruptModelException(
                    in.file(),
                    at,
                    name,
                    "external_data " + key + " '" + value + "' is not a non-negative decimal integer");
        }
        return Long.parseLong(value);
    }

    /** {@code dims} as read, capped at {@link #MAX_RANK} so a hostile run of varints cannot grow it unbounded. */
    private static final class Dims {
        private final ProtoCursor in;
        private long[] values = new long[8];
        private int rank;

        Dims(ProtoCursor in) {
            this.in = in;
        }

        void add(long dim) {
            if (rank == MAX_RANK) {
                throw new CorruptModelException(in.file(), in.position(), "tensor has more than " + MAX_RANK + " dims");
            }
            if (rank == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[rank++] = dim;
        }

        long[] toArray() {
            return Arrays.copyOf(values, rank);
        }
    }

    /** Accumulates the runs of one typed repeated field, packed or not. */
    private final class TypedRuns {
        final OnnxDataType.TypedField field;
        long offset = -1;
        long bytes;
        long values;

        TypedRuns(OnnxDataType.TypedField field) {
            this.field = field;
        }

        void add(ProtoCursor in, int tag) {
            int wire = ProtoCursor.wireType(tag);
            long start = in.position();
            if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                ProtoCursor.ByteRange run = in.readRange(field.name());
                if (offset < 0) {
                    offset = run.offset();
                }
                bytes = Math.addExact(bytes, run.length());
                values = Math.addExact(values, count(in, run));
                return;
            }
            // Unpacked: one value per key, of the field's scalar wire type.
            int expectedWire = switch (field.fixedWidth()) {
                case 4 -> WireFormat.WIRETYPE_FIXED32;
                case 8 -> WireFormat.WIRETYPE_FIXED64;
                default -> WireFormat.WIRETYPE_VARINT;
            };
            if (field == OnnxDataType.TypedField.STRING_DATA || wire != expectedWire) {
                throw new CorruptModelException(
                        in.file(),
                        start,
                        field + " has wire type " + wire + " (expected " + expectedWire + " or packed)");
            }
            in.skip(tag);
            if (offset < 0) {
                offset = start;
            }
            bytes = Math.addExact(bytes, in.position() - start);
            values++;
        }

        private long count(ProtoCursor in, ProtoCursor.ByteRange run) {
            if (field == OnnxDataType.TypedField.STRING_DATA) {
                return 1; // one string per length-delimited entry
            }
            if (field.fixedWidth() > 0) {
                CorruptModelException.verify(
                        run.length() % field.fixedWidth() == 0,
                        in.file(),
                        run.offset(),
                        field
                                + " run of " + run.length() + " bytes is not a whole number of " + field.fixedWidth()
                                + "-byte values");
                return run.length() / field.fixedWidth();
            }
            // Packed varints: one value ends at every byte whose continuation bit is clear.
            long n = 0;
            long endAt = run.offset() + run.length();
            for (long p = run.offset(); p < endAt; p++) {
                if ((segment.get(ValueLayout.JAVA_BYTE, p) & 0x80) == 0) {
                    n++;
                }
            }
            CorruptModelException.verify(
                    run.length() == 0 || (segment.get(ValueLayout.JAVA_BYTE, endAt - 1) & 0x80) == 0,
                    in.file(),
                    endAt - 1,
                    field + " ends inside a varint");
            return n;
        }
    }
}
