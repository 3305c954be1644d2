package dev.heft.core.api;

import dev.heft.core.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One option of a heft operation, described once for every face: the CLI builds its picocli option from it (name, type,
 * converter, default, completion candidates), the HTTP API parses query and body values with it, and the OpenAPI
 * document is generated from it. So a flag, a query parameter and its documentation cannot drift apart.
 *
 * <p>{@code description} may use picocli's {@code ${DEFAULT-VALUE}} and {@code ${COMPLETION-CANDIDATES}}; every face
 * expands them the same way ({@link #describe}).
 *
 * @param <T> the option's value: the element type for single values, a {@code List} of it for lists
 */
public final class Param<T> {
    /** How many values an option takes. */
    public enum Kind {
        /** One value ({@code --batch 4}). */
        VALUE,
        /** A comma-separated list ({@code --context 1k,8k}); {@link #split} says where a value ends. */
        LIST,
        /** A switch with no value ({@code --train}); {@code true} when given. */
        FLAG
    }

    /** A comma between values. */
    public static final Pattern COMMA = Pattern.compile(",");

    private final String name;
    private final String label;
    private final String description;
    private final Kind kind;
    private final Class<?> elementType;
    private final Function<String, ?> element;
    private final Optional<String> defaultText;
    private final Optional<String> fallbackText;
    private final Supplier<List<String>> candidates;
    private final Pattern split;
    private final boolean required;

    private Param(
            String name,
            String label,
            String description,
            Kind kind,
            Class<?> elementType,
            Function<String, ?> element,
            Optional<String> defaultText,
            Optional<String> fallbackText,
            Supplier<List<String>> candidates,
            Pattern split,
            boolean required) {
        this.name = name;
        this.label = label;
        this.description = description;
        this.kind = kind;
        this.elementType = elementType;
        this.element = element;
        this.defaultText = defaultText;
        this.fallbackText = fallbackText;
        this.candidates = candidates;
        this.split = split;
        this.required = required;
    }

    /** A single value converted by {@code converter}, which throws {@link InvalidInputException} on bad input. */
    public static <T> Param<T> value(
            String name, String label, Class<T> type, Function<String, T> converter, String description) {
        return new Param<>(
                name,
                label,
                description,
                Kind.VALUE,
                type,
                converter,
                Optional.empty(),
                Optional.empty(),
                List::of,
                COMMA,
                false);
    }

    /** A comma-separated list of values, each converted by {@code converter}. */
    public static <E> Param<List<E>> list(
            String name, String label, Class<E> elementType, Function<String, E> converter, String description) {
        return new Param<>(
                name,
                label,
                description,
                Kind.LIST,
                elementType,
                converter,
                Optional.empty(),
                Optional.empty(),
                List::of,
                COMMA,
                false);
    }

    /** A switch: absent is {@code false}. */
    public static Param<Boolean> flag(String name, String description) {
        return new Param<>(
                name,
                "",
                description,
                Kind.FLAG,
                Boolean.class,
                Param::parseBoolean,
                Optional.of("false"),
                Optional.empty(),
                List::of,
                COMMA,
                false);
    }

    /** The same option with a default, written as a user would type it (so every face converts it the same way). */
    public Param<T> defaultValue(String text) {
        return new Param<>(
                name,
                label,
                description,
                kind,
                elementType,
                element,
                Optional.of(text),
                fallbackText,
                candidates,
                split,
                required);
    }

    /** The value taken when the option is given without one ({@code --dtypes} alone: the standard table). */
    public Param<T> fallbackValue(String text) {
        return new Param<>(
                name,
                label,
                description,
                kind,
                elementType,
                element,
                defaultText,
                Optional.of(text),
                candidates,
                split,
                required);
    }

    /** Values offered for completion and listed in the documentation. */
    public Param<T> candidates(Supplier<List<String>> values) {
        return new Param<>(
                name,
                label,
                description,
                kind,
                elementType,
                element,
                defaultText,
                fallbackText,
                values,
                split,
                required);
    }

    /** Where a list value ends (by default at every comma). */
    public Param<T> splitAt(Pattern separator) {
        return new Param<>(
                name,
                label,
                description,
                kind,
                elementType,
                element,
                defaultText,
                fallbackText,
                candidates,
                separator,
                required);
    }

    public Param<T> required() {
        return new Param<>(
                name,
                label,
                description,
                kind,
                elementType,
                element,
                defaultText,
                fallbackText,
                candidates,
                split,
                true);
    }

    /** The option's name without dashes: {@code --kv-dtype} is {@code kv-dtype}, the HTTP key too. */
    public String name() {
        return name;
    }

    /** The value's placeholder in usage lines ({@code TOKENS}, {@code DEVICE}). */
    public String label() {
        return label;
    }

    public Kind kind() {
        return kind;
    }

    /** The type of one value (for a list, of each element). */
    public Class<?> elementType() {
        return elementType;
    }

    public Optional<String> defaultText() {
        return defaultText;
    }

    public Optional<String> fallbackText() {
        return fallbackText;
    }

    public List<String> candidates() {
        return candidates.get();
    }

    public Pattern split() {
        return split;
    }

    public boolean isRequired() {
        return required;
    }

    /** The description as written, with picocli's variables for the default and the candidates. */
    public String rawDescription() {
        return description;
    }

    /** The description with {@code ${DEFAULT-VALUE}}, {@code ${FALLBACK-VALUE}} and {@code ${COMPLETION-CANDIDATES}}
     * expanded. */
    public String describe() {
        return description
                .replace("${DEFAULT-VALUE}", defaultText.orElse("none"))
                .replace("${FALLBACK-VALUE}", fallbackText.orElse(""))
                .replace("${COMPLETION-CANDIDATES}", String.join(", ", candidates()));
    }

    /** Converts one element (for lists: one item between separators). */
    public Object convertElement(String text) {
        try {
            return element.apply(text);
        } catch (InvalidInputException e) {
            throw e.getMessage().startsWith(name + ":")
                    ? e
                    : new InvalidInputException(name + ": " + e.getMessage(), e);
        }
    }

    /** Converts a value as a user typed it: one element, a whole comma-separated list, or a flag's true/false. */
    @SuppressWarnings("unchecked")
    public T convert(String text) {
        Objects.requireNonNull(text);
        return switch (kind) {
            case VALUE, FLAG -> (T) convertElement(text);
            case LIST -> {
                List<Object> out = new ArrayList<>();
                for (String part : split.split(text, -1)) {
                    if (part.isBlank()) {
                        throw new InvalidInputException(name + ": empty item in '" + text + "'");
                    }
                    out.add(convertElement(part.trim()));
                }
                yield (T) List.copyOf(out);
            }
        };
    }

    /** The default converted, when there is one. */
    public Optional<T> defaultValueConverted() {
        return defaultText.map(this::convert);
    }

    static Boolean parseBoolean(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "" -> true;
            case "false", "0", "no" -> false;
            default -> throw new InvalidInputException("expected true or false, got '" + v + "'");
        };
    }

    @Override
    public String toString() {
        return "--" + name;
    }
}
