package dev.heft.core.quant;

import dev.heft.core.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One way of compressing a weight tensor whose error heft measures. Every scheme works along the tensor's rows (the
 * contiguous innermost dimension: GGUF's {@code ne[0]}, the last dimension of a torch/safetensors shape, i.e. the
 * input features of a Linear weight), except NF4, which blocks the flattened tensor as bitsandbytes does.
 */
public sealed interface QuantScheme {

    /** The name users type and reports show ({@code q4_k}, {@code int4-g128}, {@code prune-magnitude-0.5}). */
    String name();

    /** Why this scheme cannot be applied to rows of this length, or null when it can. */
    String inapplicableReason(long rowLength);

    /**
     * Whether the scheme's rows are output channels: a Linear weight's rows, and for kernels of rank 4 or more
     * (Conv2d/Conv3d {@code [out, in, kh, kw]}) everything after the first dimension, flattened as GPTQ does. Rank 3
     * tensors keep innermost rows (stacked MoE experts {@code [E, out, in]}; a Conv1d kernel {@code [out, in, k]} is
     * the exception that gets rows of k). transformers' GPT-2 {@code Conv1D} stores {@code [in, out]}: its "rows" are
     * input channels; heft cannot tell that from the file alone.
     */
    default boolean perOutputChannel() {
        return false;
    }

    /** Every chunk heft hands the scheme starts at a multiple of this many elements of the flattened tensor. */
    default int flatGranule() {
        return 1;
    }

    /** llama.cpp block type, quantized and dequantized exactly as ggml's reference code does. */
    record Ggml(GgmlQuantType type) implements QuantScheme {
        @Override
        public String name() {
            return type.schemeName();
        }

        @Override
        public String inapplicableReason(long rowLength) {
            return rowLength % type.blockElements() == 0
                    ? null
                    : "row length " + rowLength + " is not a multiple of " + type.dtype() + "'s block of "
                            + type.blockElements() + " (llama-quantize falls back to another type here)";
        }
    }

    /**
     * Symmetric int8 with one fp32 scale per output row: {@code s = absmax(row) / 127},
     * {@code q = clamp(rint(x / s), -127, 127)} (ties to even, as {@code torch.round}), {@code x' = q * s}.
     */
    record Int8PerChannel() implements QuantScheme {
        @Override
        public String name() {
            return "int8-channel";
        }

        @Override
        public boolean perOutputChannel() {
            return true;
        }

        @Override
        public String inapplicableReason(long rowLength) {
            return null;
        }
    }

    /**
     * Asymmetric 4-bit round-to-nearest in groups of {@code groupSize} along each row, as AWQ's
     * {@code pseudo_quantize_tensor} (zero_point=True) computes it and GPTQ/AWQ checkpoints store it: per group
     * {@code s = fp16(max(max - min, 1e-5) / 15)}, {@code z = clamp(-rint(min / s), 0, 15)} (an integer),
     * {@code q = clamp(rint(x / s) + z, 0, 15)}, {@code x' = (q - z) * s}. The scale is rounded to fp16 before use,
     * because the fp16 scale is what the checkpoint keeps. Rows must be a whole number of groups (GPTQ/AWQ require it).
     */
    record Int4Group(int groupSize) implements QuantScheme {
        public Int4Group {
            if (groupSize < 1) {
                throw new InvalidInputException("int4 group size must be positive, got " + groupSize);
            }
        }

        @Override
        public String name() {
            return "int4-g" + groupSize;
        }

        @Override
        public boolean perOutputChannel() {
            return true;
        }

        @Override
        public String inapplicableReason(long rowLength) {
            return rowLength % groupSize == 0
                    ? null
                    : "row length " + rowLength + " is not a multiple of the group size " + groupSize;
        }
    }

    /**
     * bitsandbytes NF4, blocks of {@code blockSize} over the flattened tensor, fp32 absmax per block; with
     * {@code doubleQuant} the absmax values are themselves stored 8-bit (bitsandbytes' compress_statistics: minus
     * their tensor mean, dynamic map, blocks of 256).
     */
    record Nf4Blockwise(int blockSize, boolean doubleQuant) implements QuantScheme {
        public Nf4Blockwise(int blockSize) {
            this(blockSize, false);
        }

        public Nf4Blockwise {
            if (blockSize < 1) {
                throw new InvalidInputException("nf4 block size must be positive, got " + blockSize);
            }
        }

        @Override
        public String name() {
            return (blockSize == 64 ? "nf4" : "nf4-b" + blockSize) + (doubleQuant ? "-dq" : "");
        }

        @Override
        public String inapplicableReason(long rowLength) {
            return null;
        }

        @Override
        public int flatGranule() {
            return doubleQuant ? blockSize * Nf4.DQ_BLOCK : blockSize;
        }
    }

    /** FP8 with one per-tensor scale {@code amax / maxFinite} (448 for E4M3), round to nearest even, saturating. */
    record Fp8(Fp8Format format) implements QuantScheme {
        @Override
        public String name() {
            return format.schemeName();
        }

        @Override
        public String inapplicableReason(long rowLength) {
            return null;
        }
    }

    /**
     * Unstructured magnitude pruning: the {@code rint(fraction * n)} weights of smallest |w| in each tensor are set to
     * zero (torch.nn.utils.prune.l1_unstructured's count). Ties at the threshold do not change the error, which depends
     * only on the pruned magnitudes.
     */
    record MagnitudePrune(double fraction) implements QuantScheme {
        public MagnitudePrune {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new InvalidInputException("pruning fraction must be within [0, 1], got " + fraction);
            }
        }

        @Override
        public String name() {
            return "prune-magnitude-" + fraction;
        }

        @Override
        public String inapplicableReason(long rowLength) {
            return null;
        }
    }

    /**
     * Parses one scheme name: a llama.cpp type ({@code q8_0 q4_0 q4_1 q5_0 q5_1 q2_k q3_k q4_k q5_k q6_k iq4_nl iq4_xs}),
     * {@code int8-channel}, {@code int4-gN}, {@code nf4}, {@code fp8-e4m3}, {@code fp8-e5m2}, or
     * {@code magnitude:F} / {@code prune-magnitude-F} for pruning.
     */
    public static QuantScheme parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        for (GgmlQuantType t : GgmlQuantType.values()) {
            if (t.schemeName().equals(s)) {
                return new Ggml(t);
            }
        }
        switch (s) {
            case "int8-channel", "int8" -> {
                return new Int8PerChannel();
            }
            case "nf4" -> {
                return new Nf4Blockwise(64);
            }
            case "nf4-dq" -> {
                return new Nf4Blockwise(64, true);
            }
            case "fp8-e4m3", "fp8" -> {
                return new Fp8(Fp8Format.E4M3);
            }
            case "fp8-e5m2" -> {
                return new Fp8(Fp8Format.E5M2);
            }
            default -> {}
        }
        if (s.startsWith("int4-g")) {
            return new Int4Group(parseInt(s.substring(6), text));
        }
        if (s.startsWith("nf4-b")) {
            return new Nf4Blockwise(parseInt(s.substring(5), text));
        }
        for (String prefix : List.of("magnitude:", "prune-magnitude-", "prune-magnitude:")) {
            if (s.startsWith(prefix)) {
                try {
                    return new MagnitudePrune(Double.parseDouble(s.substring(prefix.length())));
                } catch (NumberFormatException e) {
                    throw new InvalidInputException("pruning fraction in '" + text + "' is not a number");
                }
            }
        }
        throw new InvalidInputException("unknown quantization scheme '" + text + "'; expected one of q8_0, q4_0, "
                + "q4_1, q5_0, q5_1, q2_k, q3_k, q4_k, q5_k, q6_k, iq4_nl, iq4_xs, int8-channel, int4-g128, nf4, nf4-dq, "
                + "fp8-e4m3, fp8-e5m2, magnitude:0.5");
    }

    /** Parses a comma-separated list, keeping order and rejecting duplicates. */
    public static List<QuantScheme> parseList(String csv) {
        List<QuantScheme> out = new ArrayList<>();
        for (String part : csv.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            QuantScheme q = parse(part);
            if (out.contains(q)) {
                throw new InvalidInputException("scheme '" + part.trim() + "' is listed twice");
            }
            out.add(q);
        }
        if (out.isEmpty()) {
            throw new InvalidInputException("no quantization scheme given");
        }
        return List.copyOf(out);
    }

    private static int parseInt(String digits, String whole) {
        try {
            int v = Integer.parseInt(digits);
            if (v < 1 || v > (1 << 20)) {
                throw new InvalidInputException("block/group size in '" + whole + "' must be 1..1048576");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("block/group size in '" + whole + "' is not a number");
        }
    }
}
