package dev.heft.core.format.quantized;

import dev.heft.core.json.JsonException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a checkpoint's config.json says about how it was quantized, read once from the keys each quantizer writes:
 * <ul>
 *   <li>{@code quantization_config} (transformers' {@code save_pretrained}): {@code quant_method} "gptq" (with
 *       {@code bits}, {@code group_size}, {@code desc_act}, GPTQModel's {@code checkpoint_format}), "awq"
 *       ({@code bits}, {@code group_size}, {@code version} gemm/gemv), "bitsandbytes", "compressed-tensors"
 *       ({@code format}, {@code config_groups.*.weights.num_bits}), "fp8" ({@code weight_block_size}), "hqq"
 *       ({@code quant_config.weight_quant_params.nbits}), "exl2";</li>
 *   <li>{@code quantization} (mlx-lm's {@code save_config}): {@code {group_size, bits}} plus per-module overrides
 *       keyed by module path ({@code false} or another {@code {group_size, bits}}).</li>
 * </ul>
 * Absent or malformed keys are empty: config.json is reported by its own reader, never here.
 */
public record QuantizationConfig(
        String method,
        OptionalInt bits,
        OptionalInt groupSize,
        String checkpointFormat,
        String version,
        String format,
        boolean descAct,
        Optional<JsonObject> mlx,
        String weightBlockSize) {

    public static final QuantizationConfig NONE = new QuantizationConfig(
            "", OptionalInt.empty(), OptionalInt.empty(), "", "", "", false, Optional.empty(), "");

    public static QuantizationConfig of(Optional<JsonObject> config) {
        if (config.isEmpty()) {
            return NONE;
        }
        try {
            JsonObject c = config.get();
            Optional<JsonObject> mlx = c.getObject("quantization");
            Optional<JsonObject> qc = c.getObject("quantization_config");
            if (mlx.isPresent()) {
                return new QuantizationConfig(
                        "mlx",
                        intOf(mlx.get(), "bits"),
                        intOf(mlx.get(), "group_size"),
                        "",
                        "",
                        mlx.get().getString("mode", "affine"),
                        false,
                        mlx,
                        "");
            }
            if (qc.isEmpty()) {
                return NONE;
            }
            JsonObject q = qc.get();
            String method = q.getString("quant_method", "");
            OptionalInt bits = intOf(q, "bits");
            OptionalInt group = intOf(q, "group_size");
            Optional<JsonObject> groups = q.getObject("config_groups");
            if (groups.isPresent()) {
                for (JsonValue g : groups.get().members().values()) {
                    if (g instanceof JsonObject go && go.getObject("weights").isPresent()) {
                        bits = intOf(go.getObject("weights").get(), "num_bits");
                        group = intOf(go.getObject("weights").get(), "group_size");
                        break;
                    }
                }
            }
            Optional<JsonObject> hqq = q.getObject("quant_config").flatMap(h -> h.getObject("weight_quant_params"));
            if (hqq.isPresent()) {
                bits = intOf(hqq.get(), "nbits");
                group = intOf(hqq.get(), "group_size");
            }
            String version = q.get("version").orElse(null) instanceof JsonValue.JsonString s ? s.value() : "";
            String block = q.getArray("weight_block_size")
                    .filter(a ->
                            a.size() == 2 && a.elements().stream().allMatch(e -> e instanceof JsonValue.JsonNumber))
                    .map(a -> ((JsonValue.JsonNumber) a.get(0)).value().toPlainString() + "x"
                            + ((JsonValue.JsonNumber) a.get(1)).value().toPlainString())
                    .orElse("");
            return new QuantizationConfig(
                    method,
                    bits,
                    group,
                    q.getString("checkpoint_format", ""),
                    version,
                    q.getString("format", ""),
                    q.getBoolean("desc_act", false),
                    Optional.empty(),
                    block);
        } catch (JsonException e) {
            return NONE;
        }
    }

    private static OptionalInt intOf(JsonObject o, String key) {
        if (o.get(key).orElse(null) instanceof JsonValue.JsonNumber n && n.isIntegral()) {
            long v = n.value().longValue();
            return v > 0 && v <= 1 << 20 ? OptionalInt.of((int) v) : OptionalInt.empty();
        }
        return OptionalInt.empty();
    }

    public boolean is(String quantMethod) {
        return method.equals(quantMethod);
    }

    /**
     * mlx-lm's per-module setting for {@code module} (a path like {@code model.layers.0.mlp.gate}): empty when the
     * module is not quantized ({@code false}), the module's own {@code {group_size, bits}} when given, else the
     * global one.
     */
    public Optional<int[]> mlxFor(String module) {
        if (mlx.isEmpty()) {
            return Optional.empty();
        }
        JsonValue own = mlx.get().members().get(module);
        if (own instanceof JsonValue.JsonBoolean b && !b.value()) {
            return Optional.empty();
        }
        if (own instanceof JsonObject o
                && intOf(o, "bits").isPresent()
                && intOf(o, "group_size").isPresent()) {
            return Optional.of(new int[] {
                intOf(o, "group_size").getAsInt(), intOf(o, "bits").getAsInt()
            });
        }
        if (bits.isPresent() && groupSize.isPresent()) {
            return Optional.of(new int[] {groupSize.getAsInt(), bits.getAsInt()});
        }
        return Optional.empty();
    }
}
