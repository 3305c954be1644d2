package dev.heft.core.api;

import dev.heft.core.error.InvalidInputException;
import java.util.Locale;

/** Token counts as people write them: {@code 8192}, {@code 8k} (8,192), {@code 128k}, {@code 1m}. */
public final class Tokens {
    private Tokens() {}

    public static long parse(String s) {
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
            throw new InvalidInputException("'" + s + "' is not a token count (e.g. 4096, 8k, 128k)");
        }
    }
}
