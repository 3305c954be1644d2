package dev.heft.core.compress;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.tensor.DType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the format names users type into {@link PrecisionFormat}s. Case does not matter.
 *
 * <ul>
 *   <li>plain: {@code fp32}/{@code f32}, {@code fp16}/{@code f16}, {@code bf16} (every tensor in that type)</li>
 *   <li>llama.cpp: every llama-quantize type name ({@code q4_k_m}, {@code Q8_0}, {@code iq2_xxs}, ...), with
 *       {@code -pure} for {@code --pure}; {@code gguf-f16}, {@code gguf-bf16}, {@code gguf-f32} for llama.cpp's float
 *       types, which keep 1-D tensors in F32 (a {@code gguf-} prefix is accepted on every llama.cpp name)</li>
 *   <li>group quantization: {@code int4}, {@code int4-g128}, {@code int3-g64}, {@code int2-g128} (GPTQ packing),
 *       {@code gptq}, {@code gptq-4bit-g128}, {@code gptq-4bit-128g-actorder}, {@code gptq-8bit-perchannel},
 *       {@code awq}, {@code awq-4bit-g64}; default 4 bits, group 128</li>
 *   <li>{@code fp8} (E4M3, per-tensor scale), {@code fp8-e5m2}, {@code fp8-channel}, {@code fp8-block128}
 *       (DeepSeek-V3), combinable as {@code fp8-e5m2-channel}; {@code -bf16-scales} for BF16 scales
 *       ({@code fp8-block128-bf16-scales}, as Qwen's FP8 releases store them)</li>
 *   <li>{@code int8} (per-channel scales), {@code llm.int8}, {@code nf4}, {@code nf4-dq}, {@code mxfp4}</li>
 * </ul>
 */
public final class PrecisionFormats {

    private static final Map<String, PrecisionFormat> FIXED = new LinkedHashMap<>();
    private static final Pattern FP8 =
            Pattern.compile("fp8(?:-(e4m3|e5m2))?(?:-(tensor|channel|block|block128))?(-bf16-scales)?");
    private static final Pattern GROUP_HEAD = Pattern.compile("gptq|awq|int([2348])");
    private static final Pattern BITS = Pattern.compile("(?:int)?([2348])(?:bit|bits|b)?");
    private static final Pattern GROUP = Pattern.compile("g(\\d+)|(\\d+)g");

    static {
        fixed(new PlainFormat(DType.F32), "fp32", "f32", "float32");
        fixed(new PlainFormat(DType.F16), "fp16", "f16", "float16", "half");
        fixed(new PlainFormat(DType.BF16), "bf16", "bfloat16");
        fixed(new Int8ChannelFormat(DType.F32), "int8", "int8-channel", "int8-perchannel", "w8a16");
        fixed(new LlmInt8Format(), "llm.int8", "llm-int8", "llm_int8", "bnb-int8", "bnb-8bit");
        fixed(new Nf4Format(false), "nf4", "bnb-nf4", "bnb-4bit");
        fixed(new Nf4Format(true), "nf4-dq", "nf4-double-quant", "bnb-nf4-dq");
        fixed(new Mxfp4Format(), "mxfp4", "mxfp4-gpt-oss");
    }

    private PrecisionFormats() {}

    private static void fixed(PrecisionFormat f, String... names) {
        for (String n : names) {
            FIXED.put(n, f);
        }
    }

    /** Parses a format name, or throws {@link InvalidInputException} listing the names heft knows. */
    public static PrecisionFormat parse(String typed) {
        if (typed == null || typed.isBlank()) {
            throw unknown(String.valueOf(typed));
        }
        String s = typed.trim().toLowerCase(Locale.ROOT);
        PrecisionFormat f = FIXED.get(s);
        if (f != null) {
            return f;
        }
        Matcher fp8 = FP8.matcher(s);
        if (fp8.matches()) {
            DType e = "e5m2".equals(fp8.group(1)) ? DType.F8_E5M2 : DType.F8_E4M3;
            String sc = fp8.group(2);
            Fp8Weights.Scaling scaling = sc == null || sc.equals("tensor")
                    ? Fp8Weights.Scaling.PER_TENSOR
                    : sc.equals("channel") ? Fp8Weights.Scaling.PER_CHANNEL : Fp8Weights.Scaling.BLOCK_128;
            return new Fp8Weights(e, scaling, fp8.group(3) != null ? DType.BF16 : DType.F32);
        }
        Optional<GgufFormat> gguf = gguf(s);
        if (gguf.isPresent()) {
            return gguf.get();
        }
        Optional<GroupQuantFormat> group = group(s, typed);
        if (group.isPresent()) {
            return group.get();
        }
        throw unknown(typed);
    }

    private static Optional<GgufFormat> gguf(String s) {
        boolean prefixed = s.startsWith("gguf-");
        String rest = prefixed ? s.substring("gguf-".length()) : s;
        boolean pure = false;
        for (String suffix : new String[] {"-pure", " --pure", "--pure"}) {
            if (rest.endsWith(suffix)) {
                rest = rest.substring(0, rest.length() - suffix.length());
                pure = true;
                break;
            }
        }
        Optional<LlamaFileType> t = LlamaFileType.fromName(rest);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        if (!prefixed && !t.get().isQuantized() && !pure) {
            return Optional.empty(); // plain "f16" is the plain format; llama.cpp's F16 needs "gguf-f16"
        }
        return Optional.of(new GgufFormat(t.get(), pure));
    }

    private static Optional<GroupQuantFormat> group(String s, String typed) {
        String[] parts = s.split("-");
        if (parts.length == 0) {
            return Optional.empty(); // only dashes ("-", "--"): split drops every (empty) part
        }
        Matcher head = GROUP_HEAD.matcher(parts[0]);
        if (!head.matches()) {
            return Optional.empty();
        }
        GroupQuantFormat.Packing packing =
                parts[0].equals("awq") ? GroupQuantFormat.Packing.AWQ : GroupQuantFormat.Packing.GPTQ;
        int bits = head.group(1) != null ? Integer.parseInt(head.group(1)) : 4;
        int groupSize = 128;
        boolean actOrder = false;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            Matcher b = BITS.matcher(p);
            Matcher g = GROUP.matcher(p);
            if (b.matches()) {
                bits = Integer.parseInt(b.group(1));
            } else if (g.matches()) {
                String digits = g.group(1) != null ? g.group(1) : g.group(2);
                try {
                    groupSize = Integer.parseInt(digits);
                } catch (NumberFormatException e) {
                    throw unknown(typed);
                }
            } else if (p.equals("perchannel") || p.equals("channel")) {
                groupSize = -1;
            } else if (p.equals("act") || p.equals("actorder") || p.equals("act_order") || p.equals("desc_act")) {
                actOrder = true;
            } else {
                throw unknown(typed);
            }
        }
        try {
            return Optional.of(new GroupQuantFormat(packing, bits, groupSize, actOrder));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("format '" + typed + "': " + e.getMessage());
        }
    }

    /** Representative names, one per format family and option, for help texts; each parses. */
    public static List<String> knownNames() {
        List<String> names = new java.util.ArrayList<>(List.of(
                "fp32",
                "fp16",
                "bf16",
                "fp8",
                "fp8-e5m2",
                "fp8-channel",
                "fp8-block128",
                "int8",
                "llm.int8",
                "nf4",
                "nf4-dq",
                "mxfp4",
                "int4-g128",
                "int3-g128",
                "int2-g128",
                "gptq-4bit-g128",
                "gptq-4bit-g128-actorder",
                "awq",
                "awq-4bit-g64"));
        for (LlamaFileType t : LlamaFileType.values()) {
            names.add(
                    t.isQuantized()
                            ? t.displayName()
                            : "gguf-" + t.displayName().toLowerCase(Locale.ROOT));
        }
        return names;
    }

    private static InvalidInputException unknown(String typed) {
        StringJoiner known = new StringJoiner(", ");
        knownNames().forEach(known::add);
        return new InvalidInputException("unknown precision format '" + typed + "'. Known: " + known
                + " (add -pure to a llama.cpp type for --pure)");
    }
}
