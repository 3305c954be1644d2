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

    /** The hash of the name's skeleton and the rank. */
    static int hash(String name, int rank) {
        int h = rank;
        int segStart = 0;
        int len = name.length();
        for (int i = 0; i <= len; i++) {
            if (i < len && name.charAt(i) != '.' && name.charAt(i) != '/') {
                continue;
            }
            if (isIndex(name, segStart, i)) {
                h = 31 * h + '#';
            } else {
                for (int j = segStart; j < i; j++) {
                    h = 31 * h + name.charAt(j);
                }
            }
            if (i < len) {
                h = 31 * h + name.charAt(i);
            }
            segStart = i + 1;
        }
        return h ^ (h >>> 16);
    }

    /** Whether {@code key} is the skeleton of {@code name}. */
    static boolean matches(String key, String name) {
        int k = 0;
        int segStart = 0;
        int len = name.length();
        for (int i = 0; i <= len; i++) {
            if (i < len && name.charAt(i) != '.' && name.charAt(i) != '/') {
                continue;
            }
            if (isIndex(name, segStart, i)) {
                if (k >= key.length() || key.charAt(k++) != '#') {
                    return false;
                }
            } else {
                int n = i - segStart;
                if (!key.regionMatches(k, name, segStart, n)) {
                    return false;
                }
                k += n;
            }
            if (i < len) {
                if (k >= key.length() || key.charAt(k++) != name.charAt(i)) {
                    return false;
                }
            }
            segStart = i + 1;
        }
        return k == key.length();
    }

    private static boolean isIndex(String s, int from, int to) {
        if (to <= from || to - from > 9) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
