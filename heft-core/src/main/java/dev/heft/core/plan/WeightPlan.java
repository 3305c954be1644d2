package dev.heft.core.plan;

import dev.heft.core.compress.Applicability;
import dev.heft.core.compress.CompressionPlanner;
import dev.heft.core.compress.GgufFormat;
import dev.heft.core.compress.PlainFormat;
import dev.heft.core.compress.PrecisionFormat;
import dev.heft.core.compress.QuantPlan;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.model.NativePrecision;
import dev.heft.core.precision.Precision;
import dev.heft.core.precision.Precisions;
import dev.heft.core.tensor.DType;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A model's weights at one precision: exact bytes from a per-tensor plan (llama.cpp's rules for GGUF types, the
 * format's own layout for GPTQ/AWQ/NF4/FP8/MXFP4), or the bytes as stored for {@code native}.
 *
 * @param format     the format as the user typed it, or "native"
 * @param bytes      exact weight bytes
 * @param parameters logical parameters planned
 * @param plan       the per-tensor plan (empty for native)
 * @param computeKey the dtype the matmuls run in, for throughput ("bf16" for weight-only quantization)
 * @param own        the model's own precision, when this plan is it (as stored, as published, or assumed)
 */
public record WeightPlan(
        String format,
        long bytes,
        long parameters,
        Optional<QuantPlan> plan,
        String computeKey,
        Optional<NativePrecision> own) {

    /** The names that ask for the model's own precision: as stored (a file) or as published (a description). */
    public static final List<String> NATIVE_NAMES =
            List.of("native", "published", "as-published", "stored", "as-stored");

    public WeightPlan(String format, long bytes, long parameters, Optional<QuantPlan> plan, String computeKey) {
        this(format, bytes, parameters, plan, computeKey, Optional.empty());
    }

    /** Whether {@code name} asks for the model's own precision ({@code native}, {@code published}, ...). */
    public static boolean isNativeName(String name) {
        return name != null && NATIVE_NAMES.contains(name.trim().toLowerCase(Locale.ROOT));
    }

    /** Whether this plan is the model's own precision as stored or published (not an assumed bf16). */
    public boolean isNative() {
        return own.filter(o -> o.origin() != NativePrecision.Origin.ASSUMED).isPresent();
    }

    /** The format as tables print it: "mxfp4 (as published)", "gguf file (Q4_K+F32) (as stored)", "bf16". */
    public String displayFormat() {
        return isNative() ? format + " (" + own.get().origin().text() + ")" : format;
    }

    public double bitsPerWeight() {
        return parameters == 0 ? 0 : bytes * 8.0 / parameters;
    }

    public String formula() {
        if (own.isPresent()) {
            return own.get().describe();
        }
        return plan.map(p -> p.tensors().size() + " tensors planned as " + p.format() + ": "
                        + String.format(Locale.ROOT, "%.3f", bitsPerWeight()) + " bits per weight x " + parameters
                        + " parameters"
                        + (p.applicability() instanceof Applicability.NotApplicable na
                                ? " (n/a: " + na.reason() + ")"
                                : ""))
                .orElse("as stored: " + format);
    }

    /** True when the format found nothing to quantize in this model (the plan's typed n/a). */
    static boolean quantizedNothing(QuantPlan p) {
        return p.applicability() instanceof Applicability.NotApplicable;
    }

    public static WeightPlan of(ModelProfile m, String format) {
        if (format == null || isNativeName(format)) {
            NativePrecision own = m.nativePrecision();
            String compute = own.format()
                    .map(WeightPlan::computeKey)
                    .orElse(m.nativeDtype().contains("F32") && !m.nativeDtype().contains("+") ? "fp32" : "bf16");
            return new WeightPlan(own.label(), own.bytes(), m.parameters(), own.plan(), compute, Optional.of(own));
        }
        // The one vocabulary: every name memory, compress and quant-error accept (q4_k as well as Q4_K_M).
        Precision precision = Precisions.parse(format);
        PrecisionFormat f = precision
                .storage()
                .orElseThrow(() -> new InvalidInputException("'" + format + "' is " + precision.description()
                        + "; it has no stored layout to size (use it with quant-error)"));
        if (f instanceof GgufFormat && m.facts().isEmpty()) {
            throw new InvalidInputException(m.label() + ": " + format + " is a llama.cpp type, planned from a "
                    + "transformer's layer and head counts (a config.json, GGUF metadata or an LLM catalog model); "
                    + "for this model use a linear-layer format such as int8, fp8, int4-g128 or nf4");
        }
        QuantPlan plan = CompressionPlanner.plan(m.tensors(), m.facts().orElse(null), f);
        return new WeightPlan(f.label(), plan.bytes(), plan.elements(), Optional.of(plan), computeKey(f));
    }

    static String computeKey(PrecisionFormat f) {
        if (f instanceof PlainFormat p) {
            return switch (p.dtype()) {
                case F32, F64 -> "fp32";
                case F16 -> "fp16";
                case F8_E4M3, F8_E5M2 -> "fp8";
                default -> p.dtype() == DType.BF16 ? "bf16" : "bf16";
            };
        }
        String l = f.label().toLowerCase(Locale.ROOT);
        return l.startsWith("fp8") ? "fp8" : "bf16";
    }
}
