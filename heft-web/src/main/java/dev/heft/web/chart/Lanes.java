package dev.heft.web.chart;

import java.util.ArrayList;
import java.util.List;

/**
 * Places one-line labels that point at an x position (a limit line, a bar's end) on horizontal lanes, so that none
 * leaves the chart and no two overlap: a label sits on the first lane where its span is free, anchored at its x when
 * that fits and pushed inside the chart when it does not.
 */
final class Lanes {
    private static final double GAP = 8;
    private final double left;
    private final double right;
    private final List<List<double[]>> taken = new ArrayList<>();

    /** Labels may use {@code left..right} of the chart. */
    Lanes(double left, double right) {
        this.left = left;
        this.right = right;
    }

    /** Where a label went: its lane (0 first), its left edge and its (possibly shortened) text. */
    record Placed(int lane, double x, String text) {}

    /**
     * Places {@code text} (bold when {@code bold}) as near as it can to starting at (or, when {@code endAt}, ending
     * at) {@code x}.
     */
    Placed place(double x, boolean endAt, String text, boolean bold) {
        String t = TextWidth.fit(text, right - left, bold);
        double w = TextWidth.of(t, bold);
        double x0 = endAt ? x - w : x;
        x0 = Math.max(left, Math.min(x0, right - w));
        for (int lane = 0; ; lane++) {
            if (lane == taken.size()) {
                taken.add(new ArrayList<>());
            }
            boolean free = true;
            for (double[] span : taken.get(lane)) {
                if (x0 < span[1] + GAP && x0 + w + GAP > span[0]) {
                    free = false;
                    break;
                }
            }
            if (free) {
                taken.get(lane).add(new double[] {x0, x0 + w});
                return new Placed(lane, x0, t);
            }
        }
    }

    /** How many lanes the labels placed so far use. */
    int count() {
        return taken.size();
    }
}
