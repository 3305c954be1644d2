package dev.heft.core.model;

import dev.heft.core.compress.PrecisionFormat;
import dev.heft.core.compress.QuantPlan;
import java.util.Objects;
import java.util.Optional;

/**
 * A model's own precision, the one memory, fit, speed and compress use when no {@code --dtype} is given: the weights
 * as stored (a file), as published (a config's quantization_config or torch_dtype, or a catalog entry's published
 * checkpoint), or assumed (a description that states no precision, counted in bf16).
 *
 * @param label  the precision as reports print it ({@code mxfp4}, {@code fp8-block128}, {@code gguf file (Q4_K+F32)})
 * @param bytes  exact bytes of the weights in it (for published layouts: the per-tensor plan plus the stored buffers
 *               the checkpoint carries beside the weights)
 * @param origin as stored, as published or assumed
 * @param basis  where it comes from, one line (the config key, the catalog source)
 * @param format the layout, when it is one heft can plan (absent for a file's own mixture of types)
 * @param plan   the per-tensor plan of a published layout (absent for files and plain types)
 */
public record NativePrecision(
        String label,
        long bytes,
        Origin origin,
        String basis,
        Optional<PrecisionFormat> format,
        Optional<QuantPlan> plan) {

    /** Where a model's own precision comes from. */
    public enum Origin {
        /** The weights of a file, as they are. */
        STORED("as stored"),
        /** What the published checkpoint holds, as its config or the catalog states it. */
        PUBLISHED("as published"),
        /** A description that states no precision: bf16 (or fp32 for torch.nn networks) assumed. */
        ASSUMED("assumed");

        private final String text;

        Origin(String text) {
            this.text = text;
        }

        /** "as stored", "as published", "assumed". */
        public String text() {
            return text;
        }
    }

    public NativePrecision {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(basis, "basis");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(plan, "plan");
    }

    /**
     * One line for a report: "as published: fp8-block128 (config.json quantization_config: ...)", "as stored: gguf
     * file (Q4_K+F32)", "bf16 (assumed: config.json states no torch_dtype)".
     */
    public String describe() {
        return switch (origin) {
            case STORED -> "as stored: " + label;
            case PUBLISHED -> "as published: " + label + " (" + basis + ")";
            case ASSUMED -> label + " (assumed: " + basis + ")";
        };
    }
}
