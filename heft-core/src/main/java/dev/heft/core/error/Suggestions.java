package dev.heft.core.error;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * "Did you mean ..." for unknown names (catalog ids, device ids): the known names closest by edit distance, when close
 * enough to be a likely typo. One implementation for every place that names an unknown id.
 */
public final class Suggestions {
    private Suggestions() {}

    /** Up to {@code limit} known names within a typo's distance of {@code typed} (case-insensitive), closest first. */
    public static List<String> closest(String typed, Collection<String> known, int limit) {
        String q = typed.toLowerCase(Locale.ROOT);
        int tolerance = Math.max(2, q.length() / 3);
        return known.stream()
                // A distance is at least the difference in length: checked first, since the table is quadratic and a
                // typed string may be long (a mistyped id of a few hundred characters in a request).
                .filter(k -> Math.abs(k.toLowerCase(Locale.ROOT).length() - q.length()) <= tolerance
                                && distance(q, k.toLowerCase(Locale.ROOT)) <= tolerance
                        || k.toLowerCase(Locale.ROOT).contains(q)
                        || q.contains(k.toLowerCase(Locale.ROOT)))
                .sorted(Comparator.comparingInt((String k) -> distance(q, k.toLowerCase(Locale.ROOT)))
                        .thenComparing(k -> k))
                .limit(limit)
                .toList();
    }

    /** " (did you mean 'a'?)" / " (did you mean 'a', 'b'?)", or "" when nothing is close. */
    public static String didYouMean(String typed, Collection<String> known) {
        List<String> close = closest(typed, known, 3);
        return close.isEmpty()
                ? ""
                : " (did you mean "
                        + String.join(
                                ", ", close.stream().map(c -> "'" + c + "'").toList()) + "?)";
    }

    /** Levenshtein distance (names are short, so the quadratic table is tiny). */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
