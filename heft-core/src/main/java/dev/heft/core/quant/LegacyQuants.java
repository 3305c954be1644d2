package dev.heft.core.quant;

import static dev.heft.core.quant.GgmlMath.roundf;
import static dev.heft.core.quant.GgmlMath.toInt8Trunc;

/**
 * The 32-element ggml block types: a port of ggml/src/ggml-quants.c {@code quantize_row_q*_ref} and
 * {@code dequantize_row_q*} (llama.cpp c392e5094deaf2d1a7c18683214f007fad3fe42b), statement for statement so the
 * float rounding is the same. Block layouts (ggml-common.h):
 * <ul>
 * <li>{@code block_q4_0 { ggml_half d; uint8_t qs[16]; }} (18 bytes): x = (q - 8) * d</li>
 * <li>{@code block_q4_1 { ggml_half d, m; uint8_t qs[16]; }} (20): x = q * d + m</li>
 * <li>{@code block_q5_0 { ggml_half d; uint8_t qh[4]; uint8_t qs[16]; }} (22): x = (q - 16) * d</li>
 * <li>{@code block_q5_1 { ggml_half d, m; uint8_t qh[4]; uint8_t qs[16]; }} (24): x = q * d + m</li>
 * <li>{@code block_q8_0 { ggml_half d; int8_t qs[32]; }} (34): x = q * d</li>
 * </ul>
 * Nibble order: {@code qs[j]} holds element j in its low nibble and element j + 16 in its high nibble.
 */
final class LegacyQuants {
    static final int QK = 32;

    private LegacyQuants() {}

    // ---- Q4_0 ----
    static void quantizeQ4_0(float[] x, int xo, byte[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, xo += QK, yo += 18) {
            float amax = 0f;
            float max = 0f;
            for (int j = 0; j < QK; j++) {
                float v = x[xo + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            final float d = max / -8;
            final float id = d != 0f ? 1.0f / d : 0.0f;
            Bytes.putHalf(y, yo, d);
            for (int j = 0; j < QK / 2; ++j) {
                float x0 = x[xo + j] * id;
                float x1 = x[xo + QK / 2 + j] * id;
                int xi0 = Math.min(15, toInt8Trunc(x0 + 8.5f)) & 0xff;
                int xi1 = Math.min(15, toInt8Trunc(x1 + 8.5f)) & 0xff;
                y[yo + 2 + j] = (byte) (xi0 | (xi1 << 4));
            }
        }
    }

    static void dequantizeQ4_0(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += 18, yo += QK) {
            float d = Bytes.getHalf(b, bo);
            for (int j = 0; j < QK / 2; ++j) {
                int q = b[bo + 2 + j] & 0xff;
                y[yo + j] = ((q & 0x0F) - 8) * d;
                y[yo + j + QK / 2] = ((q >>> 4) - 8) * d;
            }
        }
    }

    // ---- Q4_1 ----
    static void quantizeQ4_1(float[] x, int xo, byte[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, xo += QK, yo += 20) {
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int j = 0; j < QK; j++) {
                float v = x[xo + j];
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
            }
            final float d = (max - min) / ((1 << 4) - 1);
            final float id = d != 0f ? 1.0f / d : 0.0f;
            Bytes.putHalf(y, yo, d);
            Bytes.putHalf(y, yo + 2, min);
            for (int j = 0; j < QK / 2; ++j) {
                float x0 = (x[xo + j] - min) * id;
                float x1 = (x[xo + QK / 2 + j] - min) * id;
                int xi0 = Math.min(15, toInt8Trunc(x0 + 0.5f)) & 0xff;
                int xi1 = Math.min(15, toInt8Trunc(x1 + 0.5f)) & 0xff;
                y[yo + 4 + j] = (byte) (xi0 | (xi1 << 4));
            }
        }
    }

    static void dequantizeQ4_1(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += 20, yo += QK) {
            float d = Bytes.getHalf(b, bo);
            float m = Bytes.getHalf(b, bo + 2);
            for (int j = 0; j < QK / 2; ++j) {
                int q = b[bo + 4 + j] & 0xff;
                y[yo + j] = (q & 0x0F) * d + m;
                y[yo + j + QK / 2] = (q >>> 4) * d + m;
            }
        }
    }

    // ---- Q5_0 ----
    static void quantizeQ5_0(float[] x, int xo, byte[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, xo += QK, yo += 22) {
            float amax = 0f;
            float max = 0f;
            for (int j = 0; j < QK; j++) {
                float v = x[xo + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            final float d = max / -16;
            final float id = d != 0f ? 1.0f / d : 0.0f;
            Bytes.putHalf(y, yo, d);
            int qh = 0;
            for (int j = 0; j < QK / 2; ++j) {
                float x0 = x[xo + j] * id;
                float x1 = x[xo + QK / 2 + j] * id;
                int xi0 = Math.min(31, toInt8Trunc(x0 + 16.5f)) & 0xff;
                int xi1 = Math.min(31, toInt8Trunc(x1 + 16.5f)) & 0xff;
                y[yo + 6 + j] = (byte) ((xi0 & 0x0F) | ((xi1 & 0x0F) << 4));
                qh |= ((xi0 & 0x10) >>> 4) << j;
                qh |= ((xi1 & 0x10) >>> 4) << (j + QK / 2);
            }
            putU32(y, yo + 2, qh);
        }
    }

    static void dequantizeQ5_0(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += 22, yo += QK) {
            float d = Bytes.getHalf(b, bo);
            int qh = getU32(b, bo + 2);
            for (int j = 0; j < QK / 2; ++j) {
                int xh0 = ((qh >>> j) << 4) & 0x10;
                int xh1 = (qh >>> (j + 12)) & 0x10;
                int q = b[bo + 6 + j] & 0xff;
                y[yo + j] = (((q & 0x0F) | xh0) - 16) * d;
                y[yo + j + QK / 2] = (((q >>> 4) | xh1) - 16) * d;
            }
        }
    }

    // ---- Q5_1 ----
    static void quantizeQ5_1(float[] x, int xo, byte[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, xo += QK, yo += 24) {
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int j = 0; j < QK; j++) {
                float v = x[xo + j];
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
            }
            final float d = (max - min) / ((1 << 5) - 1);
            final float id = d != 0f ? 1.0f / d : 0.0f;
            Bytes.putHalf(y, yo, d);
            Bytes.putHalf(y, yo + 2, min);
            int qh = 0;
            for (int j = 0; j < QK / 2; ++j) {
                float x0 = (x[xo + j] - min) * id;
                float x1 = (x[xo + QK / 2 + j] - min) * id;
                // (uint8_t)(x0 + 0.5f): no MIN in the C code; in range the value is 0..31
                int xi0 = toInt8Trunc(x0 + 0.5f) & 0xff;
                int xi1 = toInt8Trunc(x1 + 0.5f) & 0xff;
                y[yo + 8 + j] = (byte) ((xi0 & 0x0F) | ((xi1 & 0x0F) << 4));
                qh |= ((xi0 & 0x10) >>> 4) << j;
                qh |= ((xi1 & 0x10) >>> 4) << (j + QK / 2);
            }
            putU32(y, yo + 4, qh);
        }
    }

    static void dequantizeQ5_1(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += 24, yo += QK) {
            float d = Bytes.getHalf(b, bo);
            float m = Bytes.getHalf(b, bo + 2);
            int qh = getU32(b, bo + 4);
            for (int j = 0; j < QK / 2; ++j) {
                int xh0 = ((qh >>> j) << 4) & 0x10;
                int xh1 = (qh >>> (j + 12)) & 0x10;
                int q = b[bo + 8 + j] & 0xff;
                y[yo + j] = ((q & 0x0F) | xh0) * d + m;
                y[yo + j + QK / 2] = ((q >>> 4) | xh1) * d + m;
            }
        }
    }

    // ---- Q8_0 ----
    static void quantizeQ8_0(float[] x, int xo, byte[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, xo += QK, yo += 34) {
            float amax = 0f;
            for (int j = 0; j < QK; j++) {
                float a = Math.abs(x[xo + j]);
                amax = amax > a ? amax : a; // C's MAX(a, b) macro, not Math.max: the NaN behaviour differs
            }
            final float d = amax / ((1 << 7) - 1);
            final float id = d != 0f ? 1.0f / d : 0.0f;
            Bytes.putHalf(y, yo, d);
            for (int j = 0; j < QK; ++j) {
                // int8_t = roundf(x0): float -> int8 conversion of an already integral value
                y[yo + 2 + j] = (byte) toInt8Trunc(roundf(x[xo + j] * id));
            }
        }
    }

    static void dequantizeQ8_0(byte[] b, int bo, float[] y, int yo, int nb) {
        for (int i = 0; i < nb; i++, bo += 34, yo += QK) {
            float d = Bytes.getHalf(b, bo);
            for (int j = 0; j < QK; ++j) {
                y[yo + j] = b[bo + 2 + j] * d;
            }
        }
    }

    static void putU32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    static int getU32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }
}
