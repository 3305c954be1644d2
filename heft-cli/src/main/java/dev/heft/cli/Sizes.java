package dev.heft.cli;

import dev.heft.core.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/** Parses token counts as people write them: 8192, 8k (8,192), 128k, 1m; and comma-separated lists of them. */
final class Sizes {
    private Sizes() {
    }

    static long tokens(String s) {
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

    static List<Long> tokenList(String s) {
        List<Long> out = new ArrayList<>();
        for (String part : s.split(",")) {
            out.add(tokens(part));
        }
        return out;
    }

    static final class TokenCount implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return tokens(value);
        }
    }
}
