package dev.heft.core.api.request;

import dev.heft.core.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An option value from a closed list, spelled as users type it ({@code llama.cpp}, {@code fp16-mixed}), with the
 * aliases each value also answers to. Enums implement it; {@link #parse} and {@link #ids} serve every face (CLI
 * completion, HTTP parameters, OpenAPI enums) from the one list.
 */
public interface Choice {
    /** The canonical spelling. */
    String id();

    /** Other spellings accepted on input. */
    default List<String> aliases() {
        return List.of();
    }

    static <E extends Enum<E> & Choice> E parse(Class<E> type, String option, String text) {
        String t = normalise(text);
        for (E e : type.getEnumConstants()) {
            if (normalise(e.id()).equals(t)
                    || e.aliases().stream().anyMatch(a -> normalise(a).equals(t))) {
                return e;
            }
        }
        throw new InvalidInputException(
                option + ": unknown value '" + text + "' (known: " + String.join(", ", ids(type)) + ")");
    }

    static <E extends Enum<E> & Choice> List<String> ids(Class<E> type) {
        List<String> out = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            out.add(e.id());
        }
        return out;
    }

    /** Case, dashes, underscores and dots do not distinguish values ({@code llama_cpp} is {@code llama.cpp}). */
    private static String normalise(String s) {
        return s.trim()
                .toLowerCase(Locale.ROOT)
                .replace("-", "")
                .replace("_", "")
                .replace(".", "");
    }
}
