package dev.heft.core.format.onnx;

import java.util.Map;

/**
 * Recognises an ONNX {@code ModelProto} by trial-parsing its first bytes: protobuf has no magic number, but every
 * serializer writes fields in field-number order, so a model starts with {@code ir_version = 1} (a small varint),
 * followed by fields of ModelProto with the wire types the schema gives them.
 */
final class OnnxSignature {
    /** ir_version 1 was published in 2017; 13 is current (onnx 1.20). Leave room for a few more. */
    private static final long MAX_IR_VERSION = 64;

    /** ModelProto fields (onnx.proto) and their wire types. */
    private static final Map<Integer, Integer> MODEL_FIELDS = Map.ofEntries(
            Map.entry(1, WireFormat.WIRETYPE_VARINT), // int64 ir_version
            Map.entry(2, WireFormat.WIRETYPE_LENGTH_DELIMITED), // string producer_name
            Map.entry(3, WireFormat.WIRETYPE_LENGTH_DELIMITED), // string producer_version
            Map.entry(4, WireFormat.WIRETYPE_LENGTH_DELIMITED), // string domain
            Map.entry(5, WireFormat.WIRETYPE_VARINT), // int64 model_version
            Map.entry(6, WireFormat.WIRETYPE_LENGTH_DELIMITED), // string doc_string
            Map.entry(7, WireFormat.WIRETYPE_LENGTH_DELIMITED), // GraphProto graph
            Map.entry(8, WireFormat.WIRETYPE_LENGTH_DELIMITED), // OperatorSetIdProto opset_import
            Map.entry(14, WireFormat.WIRETYPE_LENGTH_DELIMITED), // StringStringEntryProto metadata_props
            Map.entry(20, WireFormat.WIRETYPE_LENGTH_DELIMITED), // TrainingInfoProto training_info
            Map.entry(25, WireFormat.WIRETYPE_LENGTH_DELIMITED), // FunctionProto functions
            Map.entry(26, WireFormat.WIRETYPE_LENGTH_DELIMITED)); // DeviceConfigurationProto configuration

    private OnnxSignature() {}

    /**
     * Whether {@code head} (the file's first bytes) reads as the start of a ModelProto. Reaching the end of
     * {@code head} inside a field is fine once ir_version was seen: the head is a prefix of the file.
     */
    static boolean looksLikeModel(byte[] head) {
        Prefix in = new Prefix(head);
        long firstTag = in.varint();
        if (firstTag != ((1 << 3) | WireFormat.WIRETYPE_VARINT)) {
            return false;
        }
        long ir = in.varint();
        if (ir == Prefix.RAN_OUT) {
            return true;
        }
        if (ir < 1 || ir > MAX_IR_VERSION) {
            return false;
        }
        int lastField = 1;
        while (in.position < head.length) {
            long tag = in.varint();
            if (tag == Prefix.RAN_OUT) {
                return true;
            }
            if (tag < 0 || tag > Integer.MAX_VALUE) {
                return false;
            }
            int field = WireFormat.getTagFieldNumber((int) tag);
            Integer wire = MODEL_FIELDS.get(field);
            if (wire == null || wire != WireFormat.getTagWireType((int) tag) || field < lastField) {
                return false;
            }
            lastField = field;
            long value = in.varint(); // the varint value, or the length of a length-delimited field
            if (value == Prefix.RAN_OUT) {
                return true;
            }
            if (value < 0) {
                return false;
            }
            if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                if (value > head.length - in.position) {
                    return true; // the field's body lies past what the head shows
                }
                in.position += (int) value;
            }
        }
        return true;
    }

    /** Varints over a byte prefix, telling "ran out of bytes" apart from "not a varint". */
    private static final class Prefix {
        static final long RAN_OUT = Long.MIN_VALUE;
        static final long MALFORMED = -1;
        private final byte[] bytes;
        int position;

        Prefix(byte[] bytes) {
            this.bytes = bytes;
        }

        long varint() {
            long result = 0;
            for (int i = 0; i < 10; i++) {
                if (position >= bytes.length) {
                    return RAN_OUT;
                }
                int b = bytes[position++] & 0xff;
                result |= (long) (b & 0x7f) << (7 * i);
                if ((b & 0x80) == 0) {
                    return result < 0 ? MALFORMED : result;
                }
            }
            return MALFORMED;
        }
    }
}
