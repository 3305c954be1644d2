package dev.heft.core.format.tflite;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tiny flatbuffer writer for test fixtures (FlatBuffers binary format: vtable, soffset, forward uoffsets, length-
 * prefixed vectors). Unlike flatc's builder it writes front to back: a table's vtable, then the table, then its
 * children, so every uoffset points forward as the format requires. Only what TFLite fixtures need.
 */
final class FlatWriter {
    /** Something that can be written: a table, a vector or a string. */
    sealed interface Node permits Table, ScalarVector, TableVector, Str {}

    /** A table: field index to a scalar (little-endian bytes) or a child node. */
    record Table(Map<Integer, Object> fields) implements Node {
        static Table of() {
            return new Table(new TreeMap<>());
        }

        Table u8(int index, int v) {
            fields.put(index, new byte[] {(byte) v});
            return this;
        }

        Table i32(int index, int v) {
            fields.put(index, le(4).putInt(v).array());
            return this;
        }

        Table u64(int index, long v) {
            fields.put(index, le(8).putLong(v).array());
            return this;
        }

        Table ref(int index, Node child) {
            fields.put(index, child);
            return this;
        }
    }

    /** A vector of scalars given as raw little-endian bytes. */
    record ScalarVector(byte[] raw, int elementBytes) implements Node {
        static ScalarVector ints(int... values) {
            ByteBuffer b = le(4 * values.length);
            for (int v : values) {
                b.putInt(v);
            }
            return new ScalarVector(b.array(), 4);
        }

        static ScalarVector floats(float... values) {
            ByteBuffer b = le(4 * values.length);
            for (float v : values) {
                b.putFloat(v);
            }
            return new ScalarVector(b.array(), 4);
        }

        static ScalarVector longs(long... values) {
            ByteBuffer b = le(8 * values.length);
            for (long v : values) {
                b.putLong(v);
            }
            return new ScalarVector(b.array(), 8);
        }

        static ScalarVector bytes(byte[] values) {
            return new ScalarVector(values, 1);
        }
    }

    record TableVector(List<Table> tables) implements Node {}

    record Str(String value) implements Node {}

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<int[]> patches = new ArrayList<>(); // {fieldPosition, childPosition}

    /** The whole buffer: root uoffset, 4-byte file identifier, root table. */
    static byte[] file(String identifier, Table root) {
        FlatWriter w = new FlatWriter();
        w.out.writeBytes(new byte[4]);
        w.out.writeBytes(identifier.getBytes(StandardCharsets.US_ASCII));
        int rootPos = w.write(root);
        byte[] bytes = w.out.toByteArray();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, rootPos);
        for (int[] p : w.patches) {
            b.putInt(p[0], p[1] - p[0]);
        }
        return bytes;
    }

    private int write(Node node) {
        return switch (node) {
            case Table t -> table(t);
            case ScalarVector v -> {
                align(Math.max(4, v.elementBytes()));
                // the length must sit right before the elements, and the elements keep their alignment
                while ((out.size() + 4) % Math.max(4, v.elementBytes()) != 0) {
                    out.write(0);
                }
                int at = out.size();
                out.writeBytes(le(4).putInt(v.raw().length / v.elementBytes()).array());
                out.writeBytes(v.raw());
                yield at;
            }
            case Str s -> {
                align(4);
                int at = out.size();
                byte[] utf8 = s.value().getBytes(StandardCharsets.UTF_8);
                out.writeBytes(le(4).putInt(utf8.length).array());
                out.writeBytes(utf8);
                out.write(0);
                yield at;
            }
            case TableVector v -> {
                align(4);
                int at = out.size();
                out.writeBytes(le(4).putInt(v.tables().size()).array());
                int[] slots = new int[v.tables().size()];
                for (int i = 0; i < slots.length; i++) {
                    slots[i] = out.size();
                    out.writeBytes(new byte[4]);
                }
                for (int i = 0; i < slots.length; i++) {
                    patches.add(new int[] {slots[i], write(v.tables().get(i))});
                }
                yield at;
            }
        };
    }

    private int table(Table t) {
        int maxIndex = t.fields().isEmpty() ? -1 : ((TreeMap<Integer, Object>) t.fields()).lastKey();
        // Inline layout: soffset (4) then each field in index order, 8-byte fields padded to 8 within the table.
        int[] fieldOffsets = new int[maxIndex + 1];
        int size = 4;
        for (Map.Entry<Integer, Object> e : t.fields().entrySet()) {
            int len = e.getValue() instanceof byte[] b ? b.length : 4;
            while (size % len != 0) {
                size++;
            }
            fieldOffsets[e.getKey()] = size;
            size += len;
        }
        align(4);
        int vtable = out.size();
        out.writeBytes(le(2).putShort((short) (4 + 2 * fieldOffsets.length)).array());
        out.writeBytes(le(2).putShort((short) size).array());
        for (int off : fieldOffsets) {
            out.writeBytes(le(2).putShort((short) off).array());
        }
        while (out.size() % 8 != 0) {
            out.write(0);
        }
        int table = out.size();
        byte[] inline = new byte[size];
        ByteBuffer.wrap(inline).order(ByteOrder.LITTLE_ENDIAN).putInt(0, table - vtable);
        for (Map.Entry<Integer, Object> e : t.fields().entrySet()) {
            if (e.getValue() instanceof byte[] b) {
                System.arraycopy(b, 0, inline, fieldOffsets[e.getKey()], b.length);
            }
        }
        out.writeBytes(inline);
        for (Map.Entry<Integer, Object> e : t.fields().entrySet()) {
            if (e.getValue() instanceof Node child) {
                patches.add(new int[] {table + fieldOffsets[e.getKey()], write(child)});
            }
        }
        return table;
    }

    private void align(int n) {
        while (out.size() % n != 0) {
            out.write(0);
        }
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
