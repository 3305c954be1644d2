package dev.heft.core.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A tiny pickle writer for tests: it emits opcodes one by one (bytes as CPython's Lib/pickle.py and
 * Lib/pickletools.py define them), so tests can build both the pickles torch writes and hostile ones that no
 * well-behaved pickler would. It validates nothing on purpose.
 */
public final class PickleWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public PickleWriter op(int code) {
        out.write(code);
        return this;
    }

    public PickleWriter raw(byte... bytes) {
        out.writeBytes(bytes);
        return this;
    }

    public PickleWriter proto(int v) {
        return op(0x80).op(v);
    }

    public PickleWriter mark() {
        return op('(');
    }

    public PickleWriter stop() {
        return op('.');
    }

    public PickleWriter none() {
        return op('N');
    }

    public PickleWriter bool(boolean v) {
        return op(v ? 0x88 : 0x89);
    }

    /** The smallest of BININT1, BININT2, BININT as pickle.py save_long chooses. */
    public PickleWriter integer(long v) {
        if (v >= 0 && v < 256) {
            return op('K').op((int) v);
        }
        if (v >= 0 && v < 65536) {
            return op('M').le(v, 2);
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return op('J').le(v, 4);
        }
        // LONG1 with 8 bytes, two's complement little-endian
        return op(0x8a).op(8).le(v, 8);
    }

    public PickleWriter binfloat(double v) {
        return op('G').raw(ByteBuffer.allocate(8)
                .order(ByteOrder.BIG_ENDIAN)
                .putDouble(v)
                .array());
    }

    public PickleWriter str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return op('X').le(b.length, 4).raw(b);
    }

    public PickleWriter shortStr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return op(0x8c).op(b.length).raw(b);
    }

    public PickleWriter bytes(byte[] b) {
        return op('B').le(b.length, 4).raw(b);
    }

    public PickleWriter global(String module, String name) {
        return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public PickleWriter stackGlobal(String module, String name) {
        return shortStr(module).shortStr(name).op(0x93);
    }

    public PickleWriter put(int i) {
        return i < 256 ? op('q').op(i) : op('r').le(i, 4);
    }

    public PickleWriter get(int i) {
        return i < 256 ? op('h').op(i) : op('j').le(i, 4);
    }

    public PickleWriter tuple() {
        return op('t');
    }

    public PickleWriter tuple2() {
        return op(0x86);
    }

    public PickleWriter emptyTuple() {
        return op(')');
    }

    public PickleWriter emptyDict() {
        return op('}');
    }

    public PickleWriter emptyList() {
        return op(']');
    }

    public PickleWriter setItems() {
        return op('u');
    }

    public PickleWriter setItem() {
        return op('s');
    }

    public PickleWriter append() {
        return op('a');
    }

    public PickleWriter appends() {
        return op('e');
    }

    public PickleWriter reduce() {
        return op('R');
    }

    public PickleWriter newobj() {
        return op(0x81);
    }

    public PickleWriter build() {
        return op('b');
    }

    public PickleWriter binpersid() {
        return op('Q');
    }

    /** A tuple of non-negative ints (a size or stride). */
    public PickleWriter ints(long... values) {
        mark();
        for (long v : values) {
            integer(v);
        }
        return tuple();
    }

    /**
     * A tensor as torch's {@code Tensor.__reduce_ex__} writes it: {@code _rebuild_tensor_v2((persistent id
     * ('storage', torch.<storageClass>, key, 'cpu', numel)), offset, size, stride, False, OrderedDict())}.
     */
    public PickleWriter tensor(String storageClass, String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2");
        mark();
        mark().str("storage")
                .global("torch", storageClass)
                .str(key)
                .str("cpu")
                .integer(numel)
                .tuple()
                .binpersid();
        integer(offset).ints(size).ints(stride).bool(false);
        global("collections", "OrderedDict").emptyTuple().reduce();
        tuple();
        return reduce();
    }

    public PickleWriter le(long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
        return this;
    }

    public byte[] toBytes() {
        return out.toByteArray();
    }
}
