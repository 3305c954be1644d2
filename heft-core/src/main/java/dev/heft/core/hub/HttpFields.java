package dev.heft.core.hub;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The header fields of one HTTP answer, in the order they came, names compared without case (RFC 9110, section 5.1).
 * A handful of fields per answer, so a list searched from the start beats a map.
 */
record HttpFields(List<Field> fields) {
    record Field(String name, String value) {}

    HttpFields {
        fields = List.copyOf(fields);
    }

    Optional<String> firstValue(String name) {
        for (Field f : fields) {
            if (f.name.equalsIgnoreCase(name)) {
                return Optional.of(f.value);
            }
        }
        return Optional.empty();
    }

    /** The first value as a decimal count (digits only, as Content-Length is written); empty when absent or not one. */
    OptionalLong firstValueAsLong(String name) {
        Optional<String> v = firstValue(name);
        if (v.isEmpty()) {
            return OptionalLong.empty();
        }
        long n = Http1.parseDecimal(v.get());
        return n < 0 ? OptionalLong.empty() : OptionalLong.of(n);
    }

    List<String> allValues(String name) {
        return fields.stream()
                .filter(f -> f.name.equalsIgnoreCase(name))
                .map(Field::value)
                .toList();
    }

    /** Whether a comma-separated field ({@code Connection}, {@code Transfer-Encoding}) lists {@code token}. */
    boolean hasToken(String name, String token) {
        for (String v : allValues(name)) {
            for (String t : v.split(",")) {
                if (t.strip().toLowerCase(Locale.ROOT).equals(token)) {
                    return true;
                }
            }
        }
        return false;
    }
}
