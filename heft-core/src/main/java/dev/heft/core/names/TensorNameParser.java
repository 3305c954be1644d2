package dev.heft.core.names;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The single pass behind {@link TensorName#parse}: splits a name at '.' and '/', finds the first named block
 * container followed by a number (or written {@code layer_0}), the expert number after an {@code experts} segment,
 * and the parameter suffix. No regular expressions: this runs once per tensor of a 45,000-tensor checkpoint.
 */
final class TensorNameParser {

    /**
     * Segments that hold numbered repeated blocks: transformers' {@code layers}/{@code layer} (BERT, T5's
     * {@code block.N.layer.M}), GPT-2's {@code h}, {@code blocks}/{@code block}, llama.cpp's {@code blk}, CLIP's
     * {@code resblocks}, and vision backbones' {@code stages}. The first one in a name wins (T5's {@code block.0}
     * before its {@code layer.0}).
     */
    static final Set<String> CONTAINERS =
            Set.of("layers", "layer", "h", "blocks", "block", "blk", "resblocks", "stages", "stage");

    /**
     * Parameter suffixes: what a module holds, as opposed to a module's name. TensorFlow appends ":0". Quantized
     * checkpoints' companions (GPTQ qweight/scales, FP8 weight_scale, bitsandbytes SCB) are parameters of the module.
     */
    static final Set<String> PARAMS = Set.of(
            "weight",
            "bias",
            "kernel",
            "gamma",
            "beta",
            "running_mean",
            "running_var",
            "num_batches_tracked",
            "moving_mean",
            "moving_variance",
            "weight_g",
            "weight_v",
            "qweight",
            "qzeros",
            "scales",
            "g_idx",
            "weight_scale",
            "weight_scale_inv",
            "input_scale",
            "scb",
            "weight_format",
            "depthwise_kernel",
            "pointwise_kernel",
            "embeddings");

    /** Block and expert numbers longer than this are not numbers heft indexes by (and would overflow an int). */
    private static final int MAX_DIGITS = 9;

    private TensorNameParser() {}

    static TensorName parse(String name) {
        List<int[]> seg = segments(name); // [start, end) of each segment
        int n = seg.size();
        String container = "";
        int block = -1;
        int bodyStart = 0; // first segment after the block number
        long found = findBlock(name);
        if (found >= 0) {
            int containerEnd = (int) (found >>> 32);
            block = (int) found;
            container = name.substring(0, containerEnd);
            // The body starts after the segment that holds the block number.
            int digitsEnd = containerEnd + 1;
            while (digitsEnd < name.length() && name.charAt(digitsEnd) >= '0' && name.charAt(digitsEnd) <= '9') {
                digitsEnd++;
            }
            for (int i = 0; i < n; i++) {
                if (seg.get(i)[1] == digitsEnd) {
                    bodyStart = i + 1;
                    break;
                }
            }
        }
        int firstIndex = firstIndex(name);
        // Parameter suffix: the last segment when it names what a module holds (and something precedes it).
        int last = n - 1;
        String param = "";
        if (n - bodyStart >= 2 && isParam(name, seg.get(last)[0], seg.get(last)[1])) {
            param = name.substring(seg.get(last)[0], seg.get(last)[1]);
            last--;
        }
        // Module path and projection between the block and the parameter; "experts.N" gives the expert number.
        int expert = -1;
        StringBuilder module = new StringBuilder();
        String projection = "";
        char sep = name.indexOf('/') >= 0 && name.indexOf('.') < 0 ? '/' : '.';
        for (int i = bodyStart; i <= last; i++) {
            int s = seg.get(i)[0];
            int e = seg.get(i)[1];
            if (expert < 0 && i > bodyStart && isIndex(name, s, e) && isSegment(name, seg.get(i - 1), "experts")) {
                expert = Integer.parseInt(name, s, e, 10);
                continue;
            }
            if (i == last) {
                projection = name.substring(s, e);
            } else {
                if (!module.isEmpty()) {
                    module.append(sep);
                }
                module.append(name, s, e);
            }
        }
        return new TensorName(name, container, block, expert, module.toString(), projection, param, firstIndex);
    }

    /**
     * Where the first named block is, without allocating (the classifier and the report call this once per tensor):
     * {@code (containerEnd << 32) | block}, or -1 when the name has no named block. {@code containerEnd} is the index
     * just past the container segment (the '.', '/' or '_' before the number).
     */
    static long findBlock(String name) {
        int len = name.length();
        int prevStart = -1;
        int prevEnd = -1;
        int segStart = 0;
        for (int i = 0; i <= len; i++) {
            if (i < len && name.charAt(i) != '.' && name.charAt(i) != '/') {
                continue;
            }
            if (prevStart >= 0 && isIndex(name, segStart, i) && isContainer(name, prevStart, prevEnd)) {
                return ((long) prevEnd << 32) | Integer.parseInt(name, segStart, i, 10);
            }
            int us = name.lastIndexOf('_', i - 1);
            if (us > segStart && isIndex(name, us + 1, i) && isContainer(name, segStart, us)) {
                return ((long) us << 32) | Integer.parseInt(name, us + 1, i, 10);
            }
            prevStart = segStart;
            prevEnd = i;
            segStart = i + 1;
        }
        return -1;
    }

    /** The first all-digit segment that is neither the first nor the last, -1 when none. No allocation. */
    static int firstIndex(String name) {
        int len = name.length();
        int segStart = 0;
        boolean first = true;
        for (int i = 0; i < len; i++) {
            if (name.charAt(i) != '.' && name.charAt(i) != '/') {
                continue;
            }
            if (!first && isIndex(name, segStart, i)) {
                return Integer.parseInt(name, segStart, i, 10);
            }
            first = false;
            segStart = i + 1;
        }
        return -1;
    }

    private static List<int[]> segments(String name) {
        List<int[]> out = new ArrayList<>(8);
        int start = 0;
        for (int i = 0; i <= name.length(); i++) {
            if (i == name.length() || name.charAt(i) == '.' || name.charAt(i) == '/') {
                out.add(new int[] {start, i});
                start = i + 1;
            }
        }
        return out;
    }

    private static boolean isIndex(String s, int from, int to) {
        if (to <= from || to - from > MAX_DIGITS) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isSegment(String s, int[] segment, String text) {
        return segment[1] - segment[0] == text.length() && s.startsWith(text, segment[0]);
    }

    /** Whether [from, to) is one of {@link #CONTAINERS} (any case), by length first: no iteration, no allocation. */
    private static boolean isContainer(String s, int from, int to) {
        return switch (to - from) {
            case 1 -> s.charAt(from) == 'h' || s.charAt(from) == 'H';
            case 3 -> s.regionMatches(true, from, "blk", 0, 3);
            case 5 ->
                s.regionMatches(true, from, "layer", 0, 5)
                        || s.regionMatches(true, from, "block", 0, 5)
                        || s.regionMatches(true, from, "stage", 0, 5);
            case 6 ->
                s.regionMatches(true, from, "layers", 0, 6)
                        || s.regionMatches(true, from, "blocks", 0, 6)
                        || s.regionMatches(true, from, "stages", 0, 6);
            case 9 -> s.regionMatches(true, from, "resblocks", 0, 9);
            default -> false;
        };
    }

    private static boolean isParam(String s, int from, int to) {
        int end = to;
        if (end - from > 2 && s.startsWith(":0", end - 2)) {
            end -= 2;
        }
        int len = end - from;
        for (String p : PARAMS) {
            if (p.length() == len && s.regionMatches(true, from, p, 0, len)) {
                return true;
            }
        }
        return false;
    }
}
