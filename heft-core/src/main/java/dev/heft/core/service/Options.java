package dev.heft.core.service;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.hardware.DeviceRegistry;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.memory.KvCache;
import dev.heft.core.memory.Runtime;
import dev.heft.core.memory.TrainingOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Options of a request, named exactly as the CLI flags without their dashes ({@code dtype}, {@code batch},
 * {@code context}, {@code kv-dtype}; {@code kv_dtype} is accepted too), whichever face they came from: picocli
 * fields, a JSON body or query parameters. Values are strings as a user typed them; typed getters validate and name the
 * option in their errors.
 */
public final class Options {
    private final Map<String, String> values;
    private final DeviceRegistry devices;

    private Options(Map<String, String> values, DeviceRegistry devices) {
        this.values = Collections.unmodifiableMap(values);
        this.devices = devices;
    }

    private Options(Map<String, String> values) {
        this(values, DeviceRegistry.builtIn());
    }

    /** These options resolving device ids in {@code registry} (the CLI adds --devices-file and this machine). */
    public Options withDevices(DeviceRegistry registry) {
        return new Options(values, registry);
    }

    /** The devices this request may name: the built-in catalog unless the caller gave more. */
    public DeviceRegistry devices() {
        return devices;
    }

    public static Options of(Map<String, ?> raw) {
        Map<String, String> v = new LinkedHashMap<>();
        raw.forEach((k, x) -> {
            if (x != null) {
                v.put(normalise(k), String.valueOf(x));
            }
        });
        return new Options(v);
    }

    public static Options empty() {
        return new Options(Map.of());
    }

    static String normalise(String key) {
        String k = key.startsWith("--") ? key.substring(2) : key;
        return k.replace('_', '-').toLowerCase(Locale.ROOT);
    }

    public Set<String> names() {
        return values.keySet();
    }

    /** Rejects options a command does not know, naming them and the known ones (a typo is not silently ignored). */
    public Options requireOnly(Set<String> known) {
        List<String> unknown = new ArrayList<>();
        for (String k : values.keySet()) {
            if (!known.contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidInputException("unknown option(s) " + unknown + "; known: " + known.stream().sorted()
                    .toList());
        }
        return this;
    }

    public Optional<String> string(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public boolean flag(String name) {
        String v = values.get(name);
        if (v == null) {
            return false;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "" -> true;
            case "false", "0", "no" -> false;
            default -> throw new InvalidInputException(name + ": expected true or false, got '" + v + "'");
        };
    }

    public long integer(String name, long fallback, long min, long max) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            long x = Long.parseLong(v.trim());
            if (x < min || x > max) {
                throw new InvalidInputException(name + ": " + x + " is outside " + min + ".." + max);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name + ": expected an integer, got '" + v + "'");
        }
    }

    /** Token counts as people write them: 8192, 8k (8,192), 128k, 1m. */
    public long tokens(String name, long fallback) {
        String v = values.get(name);
        return v == null ? fallback : Tokens.parse(name, v);
    }

    public List<Long> tokenList(String name, long fallback) {
        String v = values.get(name);
        if (v == null) {
            return List.of(fallback);
        }
        List<Long> out = new ArrayList<>();
        for (String part : v.split(",")) {
            out.add(Tokens.parse(name, part));
        }
        return out;
    }

    public InferenceOptions inference() {
        long context = tokens("context", 4096);
        return new InferenceOptions(integer("batch", 1, 1, 1L << 20), context,
                enumValue(InferenceOptions.Phase.class, "phase", "prefill"),
                enumValue(InferenceOptions.Attention.class, "attention", "sdpa"),
                enumValue(InferenceOptions.Logits.class, "logits", "last"),
                KvCache.parseDtype(string("kv-dtype", "bf16")), 2, tokens("encoder-context", context), true,
                Runtime.parse(string("runtime", "auto")));
    }

    public TrainingOptions training() {
        return new TrainingOptions(integer("batch", 1, 1, 1L << 20), tokens("context", 4096),
                TrainingOptions.Optimizer.parse(string("optimizer", "adamw")),
                TrainingOptions.Recipe.parse(string("recipe", "mixed")), flag("checkpointing"),
                (int) integer("zero", 0, 0, 3), (int) integer("gpus", 1, 1, 65536), flag("offload"),
                (int) integer("lora", 0, 0, 65536), flag("qlora"));
    }

    <E extends Enum<E>> E enumValue(Class<E> type, String name, String fallback) {
        String v = string(name, fallback);
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder known = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                known.append(known.isEmpty() ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
            }
            throw new InvalidInputException(name + ": unknown value '" + v + "' (known: " + known + ")");
        }
    }

    /** Token-count parsing shared by every face. */
    public static final class Tokens {
        private Tokens() {
        }

        public static long parse(String name, String s) {
            String t = s.trim().toLowerCase(Locale.ROOT).replace("_", "");
            long mult = 1;
            if (t.endsWith("k")) {
                mult = 1024;
                t = t.substring(0, t.length() - 1);
            } else if (t.endsWith("m")) {
                mult = 1024 * 1024;
                t = t.substring(0, t.length() - 1);
            }
            try {
                long v = Long.parseLong(t);
                if (v < 1 || v > (1L << 40) / mult) {
                    throw new NumberFormatException();
                }
                return v * mult;
            } catch (NumberFormatException e) {
                throw new InvalidInputException(name + ": '" + s + "' is not a token count (e.g. 4096, 8k, 128k)");
            }
        }
    }
}
