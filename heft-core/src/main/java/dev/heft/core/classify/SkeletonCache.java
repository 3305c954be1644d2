package dev.heft.core.classify;

/**
 * Classifications by name skeleton and rank, looked up without building the skeleton string: the skeleton of
 * {@code model.layers.12.mlp.experts.45.up_proj.weight} is {@code model.layers.#.mlp.experts.#.up_proj.weight} (every
 * all-digit segment of at most nine digits becomes '#'), and its hash and its comparison with a stored key are computed
 * straight from the name. Open addressing, linear probing; the table doubles at half full. Not thread-safe.
 */
final class SkeletonCache {
    private String[] keys = new String[64];
    private int[] ranks = new int[64];
    private Classification[] values = new Classification[64];
    private int size;

    Classification get(String name, int rank) {
        int mask = keys.length - 1;
        for (int i = hash(name, rank) & mask; keys[i] != null; i = (i + 1) & mask) {
            if (ranks[i] == rank && matches(keys[i], name)) {
                return values[i];
            }
        }
        return null;
    }

    void put(String name, int rank, Classification c) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        insert(TensorClassifier.skeleton(name), name, rank, c);
        size++;
    }

    private void insert(String key, String name, int rank, Classification c) {
        int mask = keys.length - 1;
        int i = hash(name, rank) & mask;
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        ranks[i] = rank;
        values[i] = c;
    }

    private void grow() {
        String[] oldKeys = keys;
        int[] oldRanks = ranks;
        Classification[] oldValues = values;
        keys = new String[oldKeys.length * 2];
        ranks = new int[oldKeys.length * 2];
        values = new Classification[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                // A skeleton is its own skeleton ('#' is not a digit), so it hashes like the names it stands for.
                insert(oldKeys[i], oldKeys[i], oldRanks[i], oldValues[i]);
            }
        }
    }

    /*
     * hash and matches read each character of the name once (one charAt each, the skeleton decided at the segment's
     * end): C1 runs them for every tensor of a one-shot inspect, and the earlier versions, which looked at each
     * character three or four times (separator tests, a scan for an all-digit segment, then the hash or a regionMatches), were about
     * a tenth of a 92k-tensor inspect's main-thread time (issue 12).
     */

    /** The hash of the name's skeleton and the rank. */
    static int hash(String name, int rank) {
        int h = rank;
        int before = h; // the hash before the current segment
        int segLen = 0;
        boolean digits = true;
        int len = name.length();
        for (int i = 0; i < len; i++) {
            char c = name.charAt(i);
            if (c == '.' || c == '/') {
                if (digits && segLen > 0 && segLen <= 9) {
                    h = 31 * before + '#';
                }
                h = 31 * h + c;
                before = h;
                segLen = 0;
                digits = true;
            } else {
                h = 31 * h + c;
                segLen++;
                digits &= c >= '0' && c <= '9';
            }
        }
        if (digits && segLen > 0 && segLen <= 9) {
            h = 31 * before + '#';
        }
        return h ^ (h >>> 16);
    }

    /** Whether {@code key} is the skeleton of {@code name}. */
    static boolean matches(String key, String name) {
        int keyLen = key.length();
        int k = 0; // where the current segment starts in key
        int segLen = 0;
        boolean digits = true;
        boolean literal = true; // the segment so far equals key's characters from k
        int len = name.length();
        for (int i = 0; i < len; i++) {
            char c = name.charAt(i);
            if (c == '.' || c == '/') {
                k = segmentEnd(key, k, segLen, digits, literal);
                if (k < 0 || k >= keyLen || key.charAt(k) != c) {
                    return false;
                }
                k++;
                segLen = 0;
                digits = true;
                literal = true;
            } else {
                digits &= c >= '0' && c <= '9';
                literal &= k + segLen < keyLen && key.charAt(k + segLen) == c;
                segLen++;
                if (!digits && !literal) {
                    return false;
                }
            }
        }
        return segmentEnd(key, k, segLen, digits, literal) == keyLen;
    }

    /**
     * Where key continues after a name segment of {@code segLen} characters that started at key position {@code k}:
     * past its '#' when the segment is an index, past the same characters when it is not; -1 when key does not match.
     */
    private static int segmentEnd(String key, int k, int segLen, boolean digits, boolean literal) {
        if (digits && segLen > 0 && segLen <= 9) {
            return k < key.length() && key.charAt(k) == '#' ? k + 1 : -1;
        }
        return literal ? k + segLen : -1;
    }
}
