package dev.heft.core.format.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small safetensors writer for tests: builds files the way the reference serializer does (u64 N, JSON header
 * padded with spaces to a multiple of 8, data) and, on purpose, files that break each rule. Sizes come from
 * {@link #REFERENCE_BITS}, the reference's own table, not from heft's {@code DType}.
 */
final class SafetensorsWriter {
    /**
     * {@code Dtype::bitsize()} in huggingface/safetensors {@code safetensors/src/tensor.rs} (0.6/0.7, with the FNUZ
     * variants added in 0.8), in the enum's declaration order.
     */
    static final Map<String, Integer> REFERENCE_BITS = referenceBits();

    private static Map<String, Integer> referenceBits() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("BOOL", 8);
        m.put("F4", 4);
        m.put("F6_E2M3", 6);
        m.put("F6_E3M2", 6);
        m.put("U8", 8);
        m.put("I8", 8);
        m.put("F8_E5M2", 8);
        m.put("F8_E4M3", 8);
        m.put("F8_E8M0", 8);
        m.put("F8_E4M3FNUZ", 8);
        m.put("F8_E5M2FNUZ", 8);
        m.put("I16", 16);
        m.put("U16", 16);
        m.put("F16", 16);
        m.put("BF16", 16);
        m.put("I32", 32);
        m.put("U32", 32);
        m.put("F32", 32);
        m.put("C64", 64);
        m.put("F64", 64);
        m.put("I64", 64);
        m.put("U64", 64);
        return m;
    }

    /** One header entry; {@code shapeJson} and the offsets are written verbatim so tests can make them wrong. */
    record Entry(String name, String dtype, String shapeJson, String offsetsJson) {
        static Entry of(String name, String dtype, long[] shape, long begin, long end) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < shape.length; i++) {
                sb.append(i == 0 ? "" : ",").append(shape[i]);
            }
            return new Entry(name, dtype, sb.append(']').toString(), "[" + begin + "," + end + "]");
        }

        String json() {
            return quote(name) + ":{\"dtype\":" + quote(dtype) + ",\"shape\":" + shapeJson + ",\"data_offsets\":"
                    + offsetsJson + "}";
        }
    }

    /** A tensor to lay out contiguously with correct sizes. */
    record Spec(String name, String dtype, long... shape) {
        long bytes() {
            long elements = 1;
            for (long d : shape) {
                elements *= d;
            }
            return elements * REFERENCE_BITS.get(dtype) / 8;
        }
    }

    private SafetensorsWriter() {}

    /** Entries laid out back to back from offset 0, in the order given. */
    static List<Entry> layout(Spec... specs) {
        List<Entry> out = new ArrayList<>();
        long at = 0;
        for (Spec s : specs) {
            out.add(Entry.of(s.name, s.dtype, s.shape, at, at + s.bytes()));
            at += s.bytes();
        }
        return out;
    }

    static long dataBytes(Spec... specs) {
        long n = 0;
        for (Spec s : specs) {
            n += s.bytes();
        }
        return n;
    }

    static String header(Map<String, String> metadata, List<Entry> entries) {
        StringBuilder sb = new StringBuilder("{");
        if (metadata != null) {
            sb.append("\"__metadata__\":{");
            int i = 0;
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                sb.append(i++ == 0 ? "" : ",")
                        .append(quote(m.getKey()))
                        .append(':')
                        .append(quote(m.getValue()));
            }
            sb.append("},");
        }
        for (Entry e : entries) {
            sb.append(e.json()).append(',');
        }
        if (sb.charAt(sb.length() - 1) == ',') {
            sb.setLength(sb.length() - 1);
        }
        return sb.append('}').toString();
    }

    /** A well-formed file: the specs laid out contiguously, header padded to 8 bytes as the reference does. */
    static byte[] file(Map<String, String> metadata, Spec... specs) {
        return file(header(metadata, layout(specs)), dataBytes(specs));
    }

    /** {@code headerJson} (padded with spaces to a multiple of 8) followed by {@code dataBytes} zero bytes. */
    static byte[] file(String headerJson, long dataBytes) {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        byte[] withPadding = new byte[padded];
        java.util.Arrays.fill(withPadding, (byte) ' ');
        System.arraycopy(header, 0, withPadding, 0, header.length);
        return raw(padded, withPadding, dataBytes);
    }

    /** Exactly: {@code declaredLength} as the u64 prefix, then {@code header}, then {@code dataBytes} zeros. */
    static byte[] raw(long declaredLength, byte[] header, long dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(8 + header.length + dataBytes))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredLength).put(header);
        return b.array();
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        return file;
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
