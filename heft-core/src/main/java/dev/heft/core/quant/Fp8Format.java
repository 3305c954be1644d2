package dev.heft.core.quant;

import dev.heft.core.tensor.DType;

/**
 * The two OCP 8-bit float formats, with the facts a cast needs. Rounding is to nearest, ties to even, and values beyond
 * the largest finite magnitude saturate to it (the "satfinite" conversion NVIDIA's Transformer Engine and
 * {@code torch.float8_e4m3fn} scaled casts use after dividing by the per-tensor scale).
 *
 * <ul>
 * <li>E4M3 ("fn": finite, no infinities): bias 7, 3 mantissa bits, largest 448, smallest normal 2^-6, subnormal step
 * 2^-9.</li>
 * <li>E5M2 (IEEE-like): bias 15, 2 mantissa bits, largest 57344, smallest normal 2^-14, subnormal step 2^-16.</li>
 * </ul>
 * Source: OCP 8-bit Floating Point Specification (OFP8) rev 1.0, table 1.
 */
public enum Fp8Format {
    E4M3("fp8-e4m3", DType.F8_E4M3, 3, -6, 448f),
    E5M2("fp8-e5m2", DType.F8_E5M2, 2, -14, 57344f);

    private final String schemeName;
    private final DType dtype;
    private final int mantissaBits;
    private final int minNormalExponent;
    private final float maxFinite;

    Fp8Format(String schemeName, DType dtype, int mantissaBits, int minNormalExponent, float maxFinite) {
        this.schemeName = schemeName;
        this.dtype = dtype;
        this.mantissaBits = mantissaBits;
        this.minNormalExponent = minNormalExponent;
        this.maxFinite = maxFinite;
    }

    public String schemeName() {
        return schemeName;
    }

    /** The tensor dtype that stores this format (safetensors F8_E4M3 / F8_E5M2). */
    public DType dtype() {
        return dtype;
    }

    /** The format stored as {@code dtype}, if it is an FP8 type. */
    public static java.util.Optional<Fp8Format> of(DType dtype) {
        for (Fp8Format f : values()) {
            if (f.dtype == dtype) {
                return java.util.Optional.of(f);
            }
        }
        return java.util.Optional.empty();
    }

    public float maxFinite() {
        return maxFinite;
    }

    /** {@code v} rounded to the nearest value of this format (ties to even), saturating; NaN stays NaN. */
    public float round(float v) {
        if (Float.isNaN(v)) {
            return v;
        }
        float a = Math.abs(v);
        if (a >= maxFinite) {
            return Math.copySign(maxFinite, v);
        }
        if (a == 0f) {
            return v;
        }
        int e = Math.max(Math.getExponent(a), minNormalExponent); // subnormals share the smallest normal's step
        double step = Math.scalb(1.0, e - mantissaBits);
        double r = Math.rint(a / step) * step; // a / step is exact (power of two); rint is ties-to-even
        float out = (float) Math.min(r, maxFinite);
        return Math.copySign(out, v);
    }
}
