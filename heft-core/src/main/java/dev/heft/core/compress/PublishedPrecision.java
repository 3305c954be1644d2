package dev.heft.core.compress;

import dev.heft.core.json.JsonException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonNumber;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The precision a model's weights are published in, as its {@code config.json} states it: the
 * {@code quantization_config} that transformers and vLLM read to load a pre-quantized checkpoint (gpt-oss's MXFP4
 * experts, DeepSeek-V3's FP8 with 128x128 block scales), else {@code torch_dtype} (transformers 4.56 renamed it
 * {@code dtype}), which {@code save_pretrained} writes as the dtype of the saved weights. A config that states neither
 * gives no published precision: heft then assumes bf16 and says so ({@link #stated()} false).
 *
 * @param format   the layout the weights are stored in
 * @param keepType the type of the tensors the format leaves alone (torch_dtype when the config states a 16-bit one,
 *                 else the format's own: gpt-oss states no torch_dtype and keeps its attention in BF16)
 * @param basis    where the precision comes from, for reports ("config.json quantization_config: ...")
 * @param stated   false when the config states no precision and bf16 is assumed
 * @param notes    what the layout leaves out or had to assume
 */
public record PublishedPrecision(
        PrecisionFormat format, DType keepType, String basis, boolean stated, List<String> notes) {

    public PublishedPrecision {
        notes = List.copyOf(notes);
    }

    /** The precision the config states, or bf16 assumed (with {@code stated} false) when it states none. */
    public static PublishedPrecision of(JsonObject config) {
        List<String> notes = new ArrayList<>();
        Optional<DType> torchDtype = torchDtype(config);
        Optional<JsonObject> q = quantizationConfig(config);
        if (q.isPresent()) {
            Optional<LinearQuantFormat> f = quantized(q.get(), notes);
            if (f.isPresent()) {
                DType keep = torchDtype
                        .filter(d -> d == DType.BF16 || d == DType.F16)
                        .orElse(f.get().keepType());
                return new PublishedPrecision(
                        f.get(), keep, "config.json quantization_config: " + summary(q.get()), true, notes);
            }
        }
        if (torchDtype.isPresent()) {
            DType d = torchDtype.get();
            return new PublishedPrecision(
                    new PlainFormat(d),
                    d,
                    "config.json torch_dtype " + d.displayName().toLowerCase(Locale.ROOT),
                    true,
                    notes);
        }
        return new PublishedPrecision(
                new PlainFormat(DType.BF16), DType.BF16, "config.json states no torch_dtype", false, notes);
    }

    /**
     * A published precision named explicitly (a catalog entry whose checkpoint differs from what its config can say,
     * e.g. Qwen's FP8 releases store their block scales in BF16), with the source that shows it.
     */
    public static PublishedPrecision named(String precision, String source, JsonObject config) {
        PrecisionFormat f = PrecisionFormats.parse(precision);
        DType keep = f instanceof LinearQuantFormat l
                ? torchDtype(config)
                        .filter(d -> d == DType.BF16 || d == DType.F16)
                        .orElse(l.keepType())
                : ((PlainFormat) f).dtype();
        return new PublishedPrecision(f, keep, source, true, List.of());
    }

    /** {@code torch_dtype} (or {@code dtype}, its name since transformers 4.56) when it names a float type. */
    static Optional<DType> torchDtype(JsonObject config) {
        String s;
        try {
            s = config.getString("torch_dtype", config.getString("dtype", null));
        } catch (JsonException e) {
            return Optional.empty(); // "torch_dtype": null or another type states nothing
        }
        if (s == null) {
            return Optional.empty();
        }
        return switch (s.toLowerCase(Locale.ROOT).replace("torch.", "")) {
            case "bfloat16" -> Optional.of(DType.BF16);
            case "float16", "half" -> Optional.of(DType.F16);
            case "float32", "float" -> Optional.of(DType.F32);
            default -> Optional.empty(); // "auto" and the like say nothing about the files
        };
    }

    private static Optional<JsonObject> quantizationConfig(JsonObject config) {
        try {
            return config.getObject("quantization_config");
        } catch (JsonException e) {
            return Optional.empty();
        }
    }

    /**
     * The formats of the {@code quant_method}s heft can lay out, following each loader's reading of the keys:
     * transformers' {@code Mxfp4Config}, {@code FineGrainedFP8Config} (quant_method fp8, fmt, weight_block_size),
     * {@code FbgemmFp8Config} (per-channel FP8), {@code GPTQConfig} (bits, group_size, desc_act), {@code AwqConfig}
     * (bits, group_size) and {@code BitsAndBytesConfig} (load_in_4bit with bnb_4bit_quant_type nf4, load_in_8bit).
     */
    private static Optional<LinearQuantFormat> quantized(JsonObject q, List<String> notes) {
        String method;
        try {
            method = q.getString("quant_method", "").toLowerCase(Locale.ROOT);
            return switch (method) {
                case "mxfp4" -> Optional.of(new Mxfp4Format());
                case "fp8" -> fp8(q, notes);
                case "fbgemm_fp8" -> Optional.of(new Fp8Weights(DType.F8_E4M3, Fp8Weights.Scaling.PER_CHANNEL));
                case "gptq" ->
                    Optional.of(new GroupQuantFormat(
                            GroupQuantFormat.Packing.GPTQ,
                            (int) q.getLong("bits", 4),
                            (int) q.getLong("group_size", 128),
                            q.getBoolean("desc_act", false)));
                case "awq" ->
                    Optional.of(new GroupQuantFormat(
                            GroupQuantFormat.Packing.AWQ,
                            (int) q.getLong("bits", q.getLong("w_bit", 4)),
                            (int) q.getLong("group_size", q.getLong("q_group_size", 128)),
                            false));
                case "bitsandbytes" -> bitsandbytes(q, notes);
                default -> {
                    notes.add("quantization_config quant_method '" + method + "' is not laid out by heft; the weights "
                            + "are counted in torch_dtype");
                    yield Optional.empty();
                }
            };
        } catch (JsonException | IllegalArgumentException e) {
            notes.add("quantization_config not understood (" + e.getMessage() + "); the weights are counted in "
                    + "torch_dtype");
            return Optional.empty();
        }
    }

    private static Optional<LinearQuantFormat> fp8(JsonObject q, List<String> notes) {
        DType element = "e5m2".equalsIgnoreCase(q.getString("fmt", "e4m3")) ? DType.F8_E5M2 : DType.F8_E4M3;
        Optional<JsonArray> block = q.getArray("weight_block_size");
        if (block.isEmpty()) {
            return Optional.of(new Fp8Weights(element, Fp8Weights.Scaling.PER_TENSOR));
        }
        List<JsonValue> b = block.get().elements();
        if (b.size() == 2
                && b.stream()
                        .allMatch(v -> v instanceof JsonNumber n
                                && n.isIntegral()
                                && n.value().longValue() == Fp8Weights.BLOCK)) {
            return Optional.of(new Fp8Weights(element, Fp8Weights.Scaling.BLOCK_128));
        }
        notes.add("FP8 weight_block_size " + text(block.get())
                + " is not laid out by heft (only 128 x 128 blocks); the " + "weights are counted in torch_dtype");
        return Optional.empty();
    }

    private static Optional<LinearQuantFormat> bitsandbytes(JsonObject q, List<String> notes) {
        if (q.getBoolean("load_in_4bit", false)) {
            if ("nf4".equalsIgnoreCase(q.getString("bnb_4bit_quant_type", "fp4"))) {
                return Optional.of(new Nf4Format(q.getBoolean("bnb_4bit_use_double_quant", false)));
            }
            notes.add("bitsandbytes 4-bit " + q.getString("bnb_4bit_quant_type", "fp4") + " is not laid out by heft; "
                    + "the weights are counted in torch_dtype");
            return Optional.empty();
        }
        if (q.getBoolean("load_in_8bit", false)) {
            return Optional.of(new LlmInt8Format());
        }
        return Optional.empty();
    }

    /** The keys of a quantization_config that decide its layout, in one line. */
    private static String summary(JsonObject q) {
        List<String> parts = new ArrayList<>();
        for (String k : List.of(
                "quant_method",
                "fmt",
                "weight_block_size",
                "bits",
                "group_size",
                "desc_act",
                "load_in_4bit",
                "bnb_4bit_quant_type",
                "bnb_4bit_use_double_quant",
                "load_in_8bit")) {
            q.get(k).ifPresent(v -> parts.add(k + " " + text(v)));
        }
        return String.join(", ", parts);
    }

    private static String text(JsonValue v) {
        return switch (v) {
            case JsonValue.JsonString s -> s.value();
            case JsonNumber n -> n.value().toPlainString();
            case JsonArray a ->
                a.elements().stream().map(PublishedPrecision::text).toList().toString();
            default -> v.toString();
        };
    }
}
