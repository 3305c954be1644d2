package dev.heft.core.format.gguf;

import java.util.ArrayList;
import java.util.List;

/** A typed metadata value to write into a GGUF file ({@link GgufWriter}); one record per shape of value. */
public sealed interface GgufValue {

    GgufValueType type();

    /** Any integer type; {@code value} holds its bits (a uint64 above 2^63-1 as a negative long). */
    record Int(GgufValueType type, long value) implements GgufValue {
        public Int {
            if (!type.isFixedSize()
                    || type == GgufValueType.FLOAT32
                    || type == GgufValueType.FLOAT64
                    || type == GgufValueType.BOOL) {
                throw new IllegalArgumentException(type + " is not an integer type");
            }
        }
    }

    record Float32(float value) implements GgufValue {
        @Override
        public GgufValueType type() {
            return GgufValueType.FLOAT32;
        }
    }

    record Float64(double value) implements GgufValue {
        @Override
        public GgufValueType type() {
            return GgufValueType.FLOAT64;
        }
    }

    record Bool(boolean value) implements GgufValue {
        @Override
        public GgufValueType type() {
            return GgufValueType.BOOL;
        }
    }

    /** A string; written as its UTF-8 bytes. */
    record Str(String value) implements GgufValue {
        @Override
        public GgufValueType type() {
            return GgufValueType.STRING;
        }
    }

    /** An array whose items all have {@code elementType} (nested arrays are arrays of {@link Array}). */
    record Array(GgufValueType elementType, List<GgufValue> items) implements GgufValue {
        public Array {
            items = List.copyOf(items);
            for (GgufValue v : items) {
                if (v.type() != elementType) {
                    throw new IllegalArgumentException("array of " + elementType + " holds a " + v.type());
                }
            }
        }

        @Override
        public GgufValueType type() {
            return GgufValueType.ARRAY;
        }
    }

    static GgufValue u8(int v) {
        return new Int(GgufValueType.UINT8, v);
    }

    static GgufValue i8(int v) {
        return new Int(GgufValueType.INT8, v);
    }

    static GgufValue u16(int v) {
        return new Int(GgufValueType.UINT16, v);
    }

    static GgufValue i16(int v) {
        return new Int(GgufValueType.INT16, v);
    }

    static GgufValue u32(long v) {
        return new Int(GgufValueType.UINT32, v);
    }

    static GgufValue i32(int v) {
        return new Int(GgufValueType.INT32, v);
    }

    static GgufValue u64(long v) {
        return new Int(GgufValueType.UINT64, v);
    }

    static GgufValue i64(long v) {
        return new Int(GgufValueType.INT64, v);
    }

    static GgufValue f32(float v) {
        return new Float32(v);
    }

    static GgufValue f64(double v) {
        return new Float64(v);
    }

    static GgufValue bool(boolean v) {
        return new Bool(v);
    }

    static GgufValue string(String v) {
        return new Str(v);
    }

    static GgufValue strings(List<String> values) {
        List<GgufValue> items = new ArrayList<>(values.size());
        for (String s : values) {
            items.add(new Str(s));
        }
        return new Array(GgufValueType.STRING, items);
    }

    static GgufValue ints(GgufValueType elementType, long... values) {
        List<GgufValue> items = new ArrayList<>(values.length);
        for (long v : values) {
            items.add(new Int(elementType, v));
        }
        return new Array(elementType, items);
    }

    static GgufValue floats(float... values) {
        List<GgufValue> items = new ArrayList<>(values.length);
        for (float v : values) {
            items.add(new Float32(v));
        }
        return new Array(GgufValueType.FLOAT32, items);
    }
}
