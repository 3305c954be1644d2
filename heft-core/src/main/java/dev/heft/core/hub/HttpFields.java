package dev.heft.core.hub;

import java.util.ArrayList;
import java.util.List;
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

    /** Every value of {@code name}, in order (a loop, not a stream: three calls per answer on the request path). */
    List<String> allValues(String name) {
        List<String> out = List.of();
        for (Field f : fields) {
            if (f.name.equalsIgnoreCase(name)) {
                if (out.isEmpty()) {
                    out = new ArrayList<>(1);
                }
                out.add(f.value);
            }
        }
        return out;
    }

    /** Whether a comma-separated field ({@code Connection}, {@code Transfer-Encoding}) lists {@code token}. */
    boolean hasToken(String name, String token) {
        for (Field f : fields) {
            if (f.name.equalsIgnoreCase(name) && listsToken(f.value, token)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the comma-separated {@code value} has an element equal to {@code token} without case, around blanks. */
    private static boolean listsToken(String value, String token) {
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            String element = value.substring(start, end).strip();
            if (element.equalsIgnoreCase(token)) {
                return true;
            }
            if (comma < 0) {
                return false;
            }
            start = comma + 1;
        }
        return false;
    }
}
