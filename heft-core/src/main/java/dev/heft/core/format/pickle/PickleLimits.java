package dev.heft.core.format.pickle;

/**
 * Hard caps that keep a hostile pickle from exhausting memory or time. Every count a pickle can grow is capped here;
 * every length it declares is also capped by the bytes that remain in the pickle (see {@link PickleInput}).
 *
 * @param maxStackDepth   values on the stack and in open MARK frames together
 * @param maxMarkDepth    MARKs open at once (how deeply a pickle may nest containers while building them)
 * @param maxMemoEntries  distinct memo slots (a memo bomb PUTs to millions of slots)
 * @param maxObjects      values created in total (each opcode creates at most a few)
 * @param maxStringBytes  one string or byte string
 * @param maxIntBytes     one LONG1/LONG4 integer (torch writes at most 8)
 * @param maxTupleDepth   nesting of immutable tuples (they are compared and hashed recursively)
 * @param maxBuiltBytes   an estimate of the heap every value, container slot and memo entry takes, summed as they are
 *                        made and never decreased (so it bounds time as well as memory): a few KB of deflated pickle
 *                        can otherwise build ten million dicts (see {@link PickleInterpreter} for the costs)
 */
public record PickleLimits(
        int maxStackDepth,
        int maxMarkDepth,
        int maxMemoEntries,
        long maxObjects,
        int maxStringBytes,
        int maxIntBytes,
        int maxTupleDepth,
        long maxBuiltBytes) {

    /**
     * Generous for any real checkpoint (a 405B model's data.pkl has ~10^5 values, a training checkpoint with optimizer
     * state ~10^6), small for a hostile one. The built-bytes budget is a quarter of the heap, at most 256 MiB: torch's
     * pickles cost 2.5-3.5 KB per tensor by these estimates (measured on the fixtures torch wrote), so some 80,000
     * tensors fit in one pickle; with {@code -Xmx64m} a pickle is refused at 16 MiB, before the JVM runs out.
     */
    public static final PickleLimits DEFAULT = new PickleLimits(
            1 << 20,
            1_000,
            1 << 22,
            50_000_000L,
            64 << 20,
            1024,
            100,
            Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4));

    public PickleLimits {
        if (maxStackDepth <= 0
                || maxMarkDepth <= 0
                || maxMemoEntries <= 0
                || maxObjects <= 0
                || maxStringBytes <= 0
                || maxIntBytes <= 0
                || maxTupleDepth <= 0
                || maxBuiltBytes <= 0) {
            throw new IllegalArgumentException("pickle limits must be positive");
        }
    }
}
