package dev.heft.core.api;

import dev.heft.core.error.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The typed values of one operation's options, however they arrived (picocli's parse, an HTTP query or JSON body):
 * what the user gave, and each option's default otherwise. Request records are built from it.
 */
public final class ParamValues {
    private final List<Param<?>> params;
    private final Map<Param<?>, Object> given;

    private ParamValues(List<Param<?>> params, Map<Param<?>, Object> given) {
        this.params = List.copyOf(params);
        this.given = Collections.unmodifiableMap(given);
    }

    /** Values already converted by the caller (the CLI's picocli options), keyed by their {@link Param}. */
    public static ParamValues of(List<Param<?>> params, Map<Param<?>, Object> given) {
        Map<Param<?>, Object> m = new IdentityHashMap<>();
        given.forEach((p, v) -> {
            if (!params.contains(p)) {
                throw new IllegalArgumentException(p + " is not an option of this operation");
            }
            if (v != null) {
                m.put(p, v);
            }
        });
        return new ParamValues(params, m);
    }

    /**
     * Values as text (an HTTP query, a JSON body flattened to strings), keyed by option name. An unknown name is an
     * error that lists the known ones: a typo is never silently ignored.
     */
    public static ParamValues parse(List<Param<?>> params, Map<String, String> text) {
        Map<String, Param<?>> byName = new LinkedHashMap<>();
        for (Param<?> p : params) {
            byName.put(p.name(), p);
        }
        List<String> unknown = new ArrayList<>();
        Map<Param<?>, Object> m = new IdentityHashMap<>();
        text.forEach((k, v) -> {
            Param<?> p = byName.get(normalise(k));
            if (p == null) {
                unknown.add(k);
            } else if (v != null) {
                m.put(
                        p,
                        v.isEmpty()
                                        && p.kind() != Param.Kind.FLAG
                                        && p.fallbackText().isPresent()
                                ? p.convert(p.fallbackText().get())
                                : p.convert(v));
            }
        });
        if (!unknown.isEmpty()) {
            throw new InvalidInputException("unknown option(s) " + unknown + "; known: "
                    + byName.keySet().stream().sorted().toList());
        }
        return new ParamValues(params, m);
    }

    /** {@code --kv_dtype}, {@code kv_dtype} and {@code KV-DTYPE} all name {@code kv-dtype}. */
    static String normalise(String key) {
        String k = key.startsWith("--") ? key.substring(2) : key;
        return k.replace('_', '-').toLowerCase(java.util.Locale.ROOT);
    }

    /** The value given, else the default; a required option with neither is an error naming it. */
    @SuppressWarnings("unchecked")
    public <T> T get(Param<T> p) {
        return optional(p).orElseThrow(() -> new InvalidInputException(p.name() + ": required"));
    }

    /** The value given, else the default, else nothing. */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> optional(Param<T> p) {
        check(p);
        Object v = given.get(p);
        if (v != null) {
            return Optional.of((T) v);
        }
        return p.defaultValueConverted();
    }

    /** Whether the user gave this option (a default does not count). */
    public boolean isGiven(Param<?> p) {
        check(p);
        return given.containsKey(p);
    }

    /** The options the user gave, in the operation's order. */
    public List<Param<?>> givenParams() {
        return params.stream().filter(given::containsKey).toList();
    }

    private void check(Param<?> p) {
        if (!params.contains(p)) {
            throw new IllegalArgumentException(p + " is not an option of this operation");
        }
    }
}
