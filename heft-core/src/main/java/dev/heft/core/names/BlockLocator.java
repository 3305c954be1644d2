package dev.heft.core.names;

/**
 * {@link TensorName#locateBlock} for names that come in checkpoint order, where consecutive names mostly sit in the
 * same block ({@code model.layers.3.mlp.experts.7.up_proj.weight}, then {@code ...experts.7.down_proj.weight}, ...):
 * it remembers the last name found in a block and where that block's number ends, and a name that starts with the same
 * characters up to there, followed by a separator or its end, is in the same block without being scanned again. That
 * holds because the scan ({@code TensorNameParser.findBlock}) decides at each segment's end from the characters before
 * it only, and stops at the first block it finds: the shared prefix gives the same decisions, the same first block.
 * The classifier and the inspect report both ask this of every tensor (issue 12). Not thread-safe.
 */
public final class BlockLocator {
    /** The last name that was in a named block, or null. */
    private String last;
    /** Where {@link #last}'s block number ends (the index after its last digit). */
    private int numberEnd;
    /** What {@code findBlock} answered for {@link #last}. */
    private long located;

    /** As {@link TensorName#locateBlock}: {@code (containerEnd << 32) | block}, or -1 when in no named block. */
    public long locate(String name) {
        int end = numberEnd;
        if (last != null
                && name.length() >= end
                && (name.length() == end || isSeparator(name.charAt(end)))
                && name.regionMatches(0, last, 0, end)) {
            return located;
        }
        long found = TensorNameParser.findBlock(name);
        if (found >= 0) {
            int digits = (int) (found >>> 32) + 1; // the number follows the '.', '/' or '_' that ends the container
            while (digits < name.length() && name.charAt(digits) >= '0' && name.charAt(digits) <= '9') {
                digits++;
            }
            last = name;
            numberEnd = digits;
            located = found;
        }
        return found;
    }

    /** As {@link TensorName#blockOrFirstIndex}. */
    public int blockOrFirstIndex(String name) {
        long found = locate(name);
        return found >= 0 ? (int) found : TensorNameParser.firstIndex(name);
    }

    private static boolean isSeparator(char c) {
        return c == '.' || c == '/';
    }
}
