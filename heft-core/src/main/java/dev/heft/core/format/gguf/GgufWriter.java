package dev.heft.core.format.gguf;

import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Shapes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a valid little-endian GGUF file (v1, v2 or v3) the way ggml's {@code gguf_write_to_file} lays it out: header,
 * KVs in insertion order, tensor infos, zero padding to the alignment, then each tensor's data padded to the alignment.
 * Used by tests to make synthetic files and by later work (quantization) to write models. In memory: meant for test
 * files and small models, not for writing a 70 B model.
 */
public final class GgufWriter {
    private final GgufVersion version;
    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();

    private record PendingTensor(String name, long[] ggmlDims, DType type, byte[] data) {}

    public GgufWriter(GgufVersion version) {
        this.version = version;
    }

    public GgufWriter() {
        this(GgufVersion.V3);
    }

    /** Adds a KV; {@code general.alignment} (uint32) also sets the alignment used for the layout. */
    public GgufWriter put(String key, GgufValue value) {
        if (metadata.putIfAbsent(key, value) != null) {
            throw new IllegalArgumentException("duplicate key " + key);
        }
        if (key.equals(GgufParser.ALIGNMENT_KEY) && value.type() != GgufValueType.UINT32) {
            throw new IllegalArgumentException(key + " must be a uint32");
        }
        return this;
    }

    /** Adds a tensor (dims in ggml order, {@code ne[0]} first) with its data; the data length must be exact. */
    public GgufWriter tensor(String name, long[] ggmlDims, DType type, byte[] data) {
        if (type.ggmlId() < 0) {
            throw new IllegalArgumentException(type + " has no ggml type id");
        }
        long bytes = type.bytesFor(Shapes.elements(ggmlDims));
        if (data.length != bytes) {
            throw new IllegalArgumentException(name + ": " + data.length + " bytes of data, " + bytes + " expected");
        }
        tensors.add(new PendingTensor(name, ggmlDims.clone(), type, data));
        return this;
    }

    /** Adds a tensor whose data is all zero bytes. */
    public GgufWriter tensor(String name, long[] ggmlDims, DType type) {
        long bytes = type.bytesFor(Shapes.elements(ggmlDims));
        return tensor(name, ggmlDims, type, new byte[Math.toIntExact(bytes)]);
    }

    public long alignment() {
        return metadata.get(GgufParser.ALIGNMENT_KEY) instanceof GgufValue.Int a
                ? a.value()
                : GgufParser.DEFAULT_ALIGNMENT;
    }

    public byte[] toBytes() {
        long alignment = alignment();
        LittleEndianOut out = new LittleEndianOut();
        out.bytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        out.u32(version.number());
        count(out, tensors.size());
        count(out, metadata.size());
        for (Map.Entry<String, GgufValue> kv : metadata.entrySet()) {
            string(out, kv.getKey());
            out.u32(kv.getValue().type().id());
            value(out, kv.getValue());
        }
        long offset = 0;
        for (PendingTensor t : tensors) {
            string(out, t.name);
            out.u32(t.ggmlDims.length);
            for (long d : t.ggmlDims) {
                count(out, d);
            }
            out.u32(t.type.ggmlId());
            out.u64(offset);
            offset += pad(t.data.length, alignment);
        }
        out.zeros(pad(out.size(), alignment) - out.size());
        for (PendingTensor t : tensors) {
            out.bytes(t.data);
            out.zeros(pad(t.data.length, alignment) - t.data.length);
        }
        return out.toByteArray();
    }

    public void write(Path path) throws IOException {
        Files.write(path, toBytes());
    }

    private static long pad(long n, long alignment) {
        return (n + alignment - 1) / alignment * alignment;
    }

    private void count(LittleEndianOut out, long n) {
        if (version == GgufVersion.V1) {
            if (n < 0 || n > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException(n + " does not fit GGUF v1's uint32 counts");
            }
            out.u32(n);
        } else {
            out.u64(n);
        }
    }

    private void string(LittleEndianOut out, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        count(out, utf8.length);
        out.bytes(utf8);
    }

    private void value(LittleEndianOut out, GgufValue v) {
        switch (v) {
            case GgufValue.Int i -> {
                switch (i.type().fixedBytes()) {
                    case 1 -> out.u8((int) i.value());
                    case 2 -> out.u16((int) i.value());
                    case 4 -> out.u32(i.value());
                    default -> out.u64(i.value());
                }
            }
            case GgufValue.Float32 f -> out.u32(Integer.toUnsignedLong(Float.floatToRawIntBits(f.value())));
            case GgufValue.Float64 f -> out.u64(Double.doubleToRawLongBits(f.value()));
            case GgufValue.Bool b -> out.u8(b.value() ? 1 : 0);
            case GgufValue.Str s -> string(out, s.value());
            case GgufValue.Array a -> {
                out.u32(a.elementType().id());
                count(out, a.items().size());
                for (GgufValue item : a.items()) {
                    value(out, item);
                }
            }
        }
    }

    /** A growable little-endian byte sink (a plain array: ByteArrayOutputStream locks on every byte). */
    static final class LittleEndianOut {
        private byte[] buf = new byte[4096];
        private int size;

        private void ensure(long more) {
            long need = size + more;
            if (need > buf.length) {
                buf = Arrays.copyOf(
                        buf, Math.toIntExact(Math.max(need, Math.min(Integer.MAX_VALUE - 16, 2L * buf.length))));
            }
        }

        void u8(int v) {
            ensure(1);
            buf[size++] = (byte) v;
        }

        void u16(int v) {
            u8(v);
            u8(v >>> 8);
        }

        void u32(long v) {
            ensure(4);
            for (int i = 0; i < 4; i++) {
                buf[size++] = (byte) (v >>> (8 * i));
            }
        }

        void u64(long v) {
            ensure(8);
            for (int i = 0; i < 8; i++) {
                buf[size++] = (byte) (v >>> (8 * i));
            }
        }

        void bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        void zeros(long n) {
            ensure(n);
            size += (int) n; // the array is zero-filled beyond size
        }

        long size() {
            return size;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }

    @Override
    public String toString() {
        return "GgufWriter[" + version + ", " + metadata.size() + " KVs, " + tensors.size() + " tensors "
                + Arrays.toString(tensors.stream().map(PendingTensor::name).toArray()) + "]";
    }
}
