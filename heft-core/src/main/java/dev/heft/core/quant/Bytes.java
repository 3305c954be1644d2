package dev.heft.core.quant;

/** Little-endian field access inside a ggml block held in a byte[] (ggml blocks are packed C structs, LE on disk). */
final class Bytes {
    private Bytes() {}

    static void putHalf(byte[] b, int off, float f) {
        short h = HalfFloats.toHalf(f);
        b[off] = (byte) h;
        b[off + 1] = (byte) (h >> 8);
    }

    static float getHalf(byte[] b, int off) {
        return HalfFloats.halfToFloat((short) ((b[off] & 0xff) | (b[off + 1] << 8)));
    }

    static int u8(byte[] b, int off) {
        return b[off] & 0xff;
    }
}
