package dev.heft.core.format.quantized;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Whether a tensor name ends like some layout's anchor ({@link PackedLayout#anchorSuffixes()}), asked of every tensor
 * of a checkpoint before any layout is: on an unquantized checkpoint no name does, and recognising then costs one such
 * test per tensor instead of a map of every name and every layout's look at every tensor (about 25 ms of CPU of a
 * 45,395-tensor DeepSeek-V3 inspect, issue 12). The suffixes are grouped by their last character, so a name is compared
 * with the two or three suffixes that end as it does.
 */
final class AnchorSuffixes {
    /** Suffixes by their last character (all ASCII); null where none ends with it. */
    private final String[][] byLastChar = new String[128][];

    AnchorSuffixes(List<PackedLayout> layouts) {
        List<List<String>> grouped = new ArrayList<>();
        for (int c = 0; c < byLastChar.length; c++) {
            grouped.add(new ArrayList<>());
        }
        for (PackedLayout layout : layouts) {
            for (String suffix : layout.anchorSuffixes()) {
                char last = suffix.charAt(suffix.length() - 1);
                if (last >= byLastChar.length) {
                    throw new IllegalArgumentException("anchor suffix '" + suffix + "' does not end in ASCII");
                }
                if (!grouped.get(last).contains(suffix)) {
                    grouped.get(last).add(suffix);
                }
            }
        }
        for (int c = 0; c < byLastChar.length; c++) {
            if (!grouped.get(c).isEmpty()) {
                byLastChar[c] = grouped.get(c).toArray(String[]::new);
            }
        }
    }

    /** Whether {@code name} ends with one of the suffixes. */
    boolean anyEnds(String name) {
        int n = name.length();
        if (n == 0) {
            return false;
        }
        char last = name.charAt(n - 1);
        String[] candidates = last < byLastChar.length ? byLastChar[last] : null;
        if (candidates == null) {
            return false;
        }
        for (String suffix : candidates) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        List<String> all = new ArrayList<>();
        for (String[] group : byLastChar) {
            if (group != null) {
                all.addAll(Arrays.asList(group));
            }
        }
        return all.toString();
    }
}
