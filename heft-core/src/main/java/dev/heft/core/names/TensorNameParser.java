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
    static final Set<String> CONTAINERS = Set.of("layers", "layer", "h", "blocks", "block", "blk", "resblocks",
            "stages", "stage");

    /**
     * Parameter suffixes: what a module holds, as opposed to a module's name. TensorFlow appends ":0". Quantized
     * checkpoints' companions (GPTQ qweight/scales, FP8 weight_scale, bitsandbytes SCB) are parameters of the module.
     */
    static final Set<String> PARAMS = Set.of("weight", "bias", "kernel", "gamma", "beta", "running_mean",
            "running_var", "num_batches_tracked", "moving_mean", "moving_variance", "weight_g", "weight_v",
            "qweight", "qzeros", "scales", "g_idx", "weight_scale", "weight_scale_inv", "input_scale", "scb",
            "weight_format", "depthwise_kernel", "pointwise_kernel", "embeddings");

    /** Block and expert numbers longer than this are not numbers heft indexes by (and would overflow an int). */
    private static final int MAX_DIGITS = 9;

    private TensorNameParser() {
    }

    static TensorName parse(String name) {
        List<int[]> seg = segments(name); // [start, end) of each segment
        int n = seg.size();
        String container = "";
        int block = -1;
        int bodyStart = 0; // first segment after the block number
        int firstIndex = -1;
        for (int i = 0; i < n; i++) {
            int s = seg.get(i)[0];
            int e = seg.get(i)[1];
            if (firstIndex < 0 && i > 0 && i < n - 1 && isIndex(name, s, e)) {
                firstIndex = Integer.parseInt(name, s, e, 10);
            }
            if (block >= 0) {
                continue;
            }
            if (i + 1 < n && isContainer(name, s, e) && isIndex(name, seg.get(i + 1)[0], seg.get(i + 1)[1])) {
                container = name.substring(0, e);
                block = Integer.parseInt(name, seg.get(i + 1)[0], seg.get(i + 1)[1], 10);
                bodyStart = i + 2;
                continue;
            }
            int us = name.lastIndexOf('_', e - 1);
            if (us > s && isContainer(name, s, us) && isIndex(name, us + 1, e)) {
                container = name.substring(0, us);
                block = Integer.parseInt(name, us + 1, e, 10);
                bodyStart = i + 1;
            }
        }
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

    private static boolean isContainer(String s, int from, int to) {
        int len = to - from;
        if (len < 1 || len > 9) {
            return false;
        }
        for (String c : CONTAINERS) {
            if (c.length() == len && s.regionMatches(true, from, c, 0, len)) {
                return true;
            }
        }
        return false;
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
