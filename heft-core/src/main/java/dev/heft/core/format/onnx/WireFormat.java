package dev.heft.core.format.onnx;

/**
 * The protobuf wire format's tag layout and wire types (protobuf encoding guide, "Message Structure": a tag is
 * {@code (field_number << 3) | wire_type}). Spelled as protobuf-java spells them, so the walkers read like the
 * protobuf documentation; heft needs only these constants, not the protobuf runtime.
 */
final class WireFormat {
    static final int WIRETYPE_VARINT = 0;
    static final int WIRETYPE_FIXED64 = 1;
    static final int WIRETYPE_LENGTH_DELIMITED = 2;
    static final int WIRETYPE_START_GROUP = 3;
    static final int WIRETYPE_END_GROUP = 4;
    static final int WIRETYPE_FIXED32 = 5;

    private static final int TAG_TYPE_BITS = 3;
    private static final int TAG_TYPE_MASK = (1 << TAG_TYPE_BITS) - 1;

    private WireFormat() {}

    static int getTagWireType(int tag) {
        return tag & TAG_TYPE_MASK;
    }

    static int getTagFieldNumber(int tag) {
        return tag >>> TAG_TYPE_BITS;
    }
}
