package dev.heft.core.arch.torch;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.json.JsonValue.JsonString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a layer spec, a custom network described by torch.nn class names and constructor keyword arguments:
 * <pre>{@code
 * {"input": [1, 3, 224, 224],
 *  "modules": {"block": {"type": "Sequential", "layers": [...]}},
 *  "layers": [
 *    {"type": "Conv2d", "in_channels": 3, "out_channels": 64, "kernel_size": 7, "stride": 2, "padding": 3,
 *     "bias": false},
 *    {"type": "Sequential", "layers": [...], "repeat": 4},
 *    {"use": "block", "repeat": 2}
 *  ]}
 * }</pre>
 * {@code repeat} makes independent copies (like a Python loop building layers); {@code use} inserts the module named
 * under {@code modules} itself, so every use shares one set of weights, counted once as torch's parameter dedup does.
 * The network is an {@code nn.Sequential}: tensors are named {@code 0.weight}, {@code 3.1.self_attn.in_proj_weight}.
 * YAML specs have the same structure.
 */
public final class LayerSpec {
    /** Spec text formats. */
    public enum Format {
        JSON,
        YAML;

        /** By extension: {@code .yaml}/{@code .yml} are YAML, anything else JSON. */
        public static Format of(Path path) {
            String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
            return name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : JSON;
        }
    }

    /** Specs larger than this are refused before reading (a spec is a few kilobytes). */
    public static final long MAX_SPEC_BYTES = 16L << 20;
    /** At most this many modules after expanding repeats, so a spec cannot ask for unbounded work. */
    public static final long MAX_MODULES = 250_000;

    public static final long MAX_REPEAT = 100_000;

    private static final List<String> TOP_KEYS = List.of("input", "modules", "layers");
    private static final List<String> STRUCTURE = List.of("type", "repeat");

    private final JsonObject modules;
    private final Map<String, Module> shared = new HashMap<>();
    private final Set<String> building = new HashSet<>();
    private long created;

    private LayerSpec(JsonObject modules) {
        this.modules = modules;
    }

    public static CustomNetwork parse(Path path) {
        return parse(path, Format.of(path));
    }

    public static CustomNetwork parse(Path path, Format format) {
        try {
            long size = Files.size(path);
            if (size > MAX_SPEC_BYTES) {
                throw new InvalidInputException(path + ": layer spec of " + size + " bytes is larger than the "
                        + MAX_SPEC_BYTES + "-byte limit");
            }
            return parse(Json.decodeUtf8(Files.readAllBytes(path)), format, path.toString());
        } catch (IOException e) {
            throw new InvalidInputException("cannot read layer spec " + path + ": " + e.getMessage(), e);
        }
    }

    public static CustomNetwork parse(String text, Format format) {
        return parse(text, format, "layer spec");
    }

    private static CustomNetwork parse(String text, Format format, String source) {
        JsonValue root;
        try {
            root = format == Format.JSON ? Json.parse(text) : YamlTree.parse(text);
        } catch (JsonException e) {
            throw new InvalidInputException(source + ": not valid " + format + ": " + e.getMessage(), e);
        }
        return parse(root, source);
    }

    /** Builds the network from a spec already parsed (a MODEL argument's JSON is read and parsed once). */
    public static CustomNetwork parse(JsonValue root, String source) {
        if (!(root instanceof JsonObject top)) {
            throw new InvalidInputException(
                    source + ": expected an object with a \"layers\" list, found " + root.typeName());
        }
        for (String key : top.members().keySet()) {
            if (!TOP_KEYS.contains(key)) {
                throw new InvalidInputException(
                        source + ": unknown top-level key '" + key + "'; accepted: " + String.join(", ", TOP_KEYS));
            }
        }
        JsonValue mods = top.members().getOrDefault("modules", new JsonObject(Map.of()));
        if (!(mods instanceof JsonObject modObject)) {
            throw new InvalidInputException(source + ": \"modules\" must be an object of named layers");
        }
        JsonValue layers = top.members().get("layers");
        if (!(layers instanceof JsonArray list)) {
            throw new InvalidInputException(source + ": \"layers\" must be a list of layers");
        }
        try {
            LayerSpec spec = new LayerSpec(modObject);
            long planned = expandedSize(list, 0);
            if (planned > MAX_MODULES) {
                throw new InvalidInputException(source + ": the spec expands to " + planned + " modules, more than "
                        + MAX_MODULES + "; use a named module with \"use\" to share one block");
            }
            Sequential net = new Sequential();
            spec.fill(net, list, "layers");
            Optional<Shape> input = Optional.empty();
            if (top.members().containsKey("input")) {
                input = Optional.of(new LayerArgs("input", "network", top).shape("input"));
            }
            return new CustomNetwork(net, input);
        } catch (ArithmeticException e) {
            throw new InvalidInputException(source + ": sizes too large: a count overflows 64 bits", e);
        }
    }

    /**
     * How many modules the layers expand to, counted on the JSON before anything is built (saturating at
     * MAX_MODULES + 1), so nested repeats cannot make heft allocate millions of objects first and fail later.
     */
    private static long expandedSize(JsonArray list, int depth) {
        long total = 0;
        for (JsonValue v : list.elements()) {
            if (!(v instanceof JsonObject entry) || entry.members().containsKey("use")) {
                continue; // reported with its position when built; a shared module is built once
            }
            long repeat = 1;
            if (entry.members().get("repeat") instanceof JsonValue.JsonNumber n
                    && n.isIntegral()
                    && n.value().signum() > 0) {
                repeat = n.value().min(java.math.BigDecimal.valueOf(MAX_REPEAT)).longValue();
            }
            long one = 1;
            if (entry.members().get("layers") instanceof JsonArray inner && depth < 64) {
                one += expandedSize(inner, depth + 1);
            }
            total = Math.min(
                    MAX_MODULES + 1,
                    total
                            + Math.min(
                                    MAX_MODULES + 1,
                                    Math.multiplyHigh(repeat, one) != 0 ? MAX_MODULES + 1 : repeat * one));
        }
        return total;
    }

    private void fill(Sequential parent, JsonArray list, String where) {
        for (int i = 0; i < list.size(); i++) {
            String at = where + "[" + i + "]";
            if (!(list.get(i) instanceof JsonObject entry)) {
                throw new InvalidInputException(
                        at + ": expected a layer object, found " + list.get(i).typeName());
            }
            long repeat = repeat(entry, at);
            if (entry.members().containsKey("use")) {
                Module m = use(entry, at);
                for (long r = 0; r < repeat; r++) {
                    parent.append(m);
                }
                continue;
            }
            for (long r = 0; r < repeat; r++) {
                parent.append(build(entry, at));
            }
        }
    }

    private long repeat(JsonObject entry, String at) {
        LayerArgs a = new LayerArgs(at, "repeat", entry);
        long repeat = a.integer("repeat", 1);
        if (repeat < 1 || repeat > MAX_REPEAT) {
            throw a.error("repeat must be from 1 to " + MAX_REPEAT + ", got " + repeat);
        }
        return repeat;
    }

    private Module use(JsonObject entry, String at) {
        for (String key : entry.members().keySet()) {
            if (!key.equals("use") && !key.equals("repeat")) {
                throw new InvalidInputException(
                        at + ": a \"use\" entry takes only 'use' and 'repeat', found '" + key + "'");
            }
        }
        if (!(entry.members().get("use") instanceof JsonString name)) {
            throw new InvalidInputException(at + ": 'use' must name a module under \"modules\"");
        }
        Module m = shared.get(name.value());
        if (m != null) {
            return m;
        }
        if (!(modules.members().get(name.value()) instanceof JsonObject def)) {
            throw new InvalidInputException(at + ": no module named '" + name.value() + "' under \"modules\"; defined: "
                    + modules.members().keySet());
        }
        if (!building.add(name.value())) {
            throw new InvalidInputException(at + ": module '" + name.value() + "' uses itself");
        }
        String defAt = "modules." + name.value();
        if (def.members().containsKey("repeat") || def.members().containsKey("use")) {
            throw new InvalidInputException(defAt + ": a named module is one layer; put 'repeat' where it is used");
        }
        m = build(def, defAt);
        building.remove(name.value());
        shared.put(name.value(), m);
        return m;
    }

    private Module build(JsonObject entry, String at) {
        if (++created > MAX_MODULES) {
            throw new InvalidInputException(at + ": the spec expands to more than " + MAX_MODULES + " modules");
        }
        if (!(entry.members().get("type") instanceof JsonString typeName)) {
            throw new InvalidInputException(at + ": missing \"type\" (a torch.nn class name such as \"Conv2d\")");
        }
        String type = typeName.value();
        LayerArgs args = new LayerArgs(at, type, entry);
        switch (type) {
            case "Sequential" -> {
                args.checkKeys(List.of("layers"), STRUCTURE);
                if (!(entry.members().get("layers") instanceof JsonArray inner)) {
                    throw args.error("\"layers\" must be a list of layers");
                }
                Sequential s = new Sequential();
                fill(s, inner, at + ".layers");
                return s;
            }
            case "Identity" -> {
                // nn.Identity(*args, **kwargs) accepts and ignores any argument
                return new Elementwise("Identity");
            }
            default -> {
                TorchLayers.LayerType t = TorchLayers.types().get(type);
                if (t == null) {
                    throw new InvalidInputException(at + ": unknown layer type '" + type + "'; known types: "
                            + String.join(", ", TorchLayers.types().keySet()) + ", Identity, Sequential");
                }
                args.checkKeys(t.keys(), STRUCTURE);
                return t.build().apply(args);
            }
        }
    }
}
