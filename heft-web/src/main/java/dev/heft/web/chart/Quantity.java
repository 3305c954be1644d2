package dev.heft.web.chart;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.report.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a chart's numbers measure, and how they read: a value label as the CLI prints it ({@link Units}: "4.58 GiB",
 * "5.64 B") and axis ticks at round numbers of one unit per axis (bytes at round GiB, counts and FLOPs at 1-2-5 steps,
 * tokens at powers of two of 1,024 as contexts are chosen).
 */
enum Quantity {
    BYTES("bytes", 1024, new String[] {" B", " KiB", " MiB", " GiB", " TiB", " PiB"}),
    COUNT("count", 1000, new String[] {"", " K", " M", " B", " T"}),
    FLOPS("flops", 1000, new String[] {" FLOP", " KFLOP", " MFLOP", " GFLOP", " TFLOP", " PFLOP", " EFLOP"}),
    TOKENS("tokens", 1024, new String[] {"", "k", "M"});

    private final String key;
    private final double base;
    private final String[] suffixes;

    Quantity(String key, double base, String[] suffixes) {
        this.key = key;
        this.base = base;
        this.suffixes = suffixes;
    }

    static Quantity of(String key) {
        for (Quantity q : values()) {
            if (q.key.equals(key)) {
                return q;
            }
        }
        throw new InvalidInputException("chart: unit must be bytes, count, flops or tokens, got '" + key + "'");
    }

    /** A value as the tables print it. */
    String format(double v) {
        return switch (this) {
            case BYTES -> Units.bytes(Math.round(v));
            case COUNT -> Units.count(Math.round(v));
            case TOKENS -> tokens(Math.round(v));
            case FLOPS -> {
                int i = 0;
                while (Math.abs(v) >= 1000 && i < suffixes.length - 1) {
                    v /= 1000;
                    i++;
                }
                yield String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.2f", v) + suffixes[i];
            }
        };
    }

    record Tick(double value, String label) {}

    /** Ticks from 0 to at least {@code max}, about {@code target} of them, at round values of this quantity. */
    List<Tick> ticks(double max, int target) {
        double top = Math.max(max, 1);
        int n = Math.max(2, target);
        // One unit for the whole axis: the one the top value reads in (40 GiB, 1.5 B).
        int power = 0;
        while (power < suffixes.length - 1 && top / Math.pow(base, power + 1) >= 1) {
            power++;
        }
        double unit = Math.pow(base, power);
        double step;
        if (this == TOKENS && top >= 1024) {
            step = 1024;
            while (top / step > n) {
                step *= 2;
            }
        } else {
            step = niceStep(top / unit / n) * unit;
            if ((this == COUNT || this == TOKENS) && step < 1) {
                step = 1; // whole numbers
            }
        }
        List<Tick> out = new ArrayList<>();
        long count = (long) Math.ceil(top / step - 1e-9);
        for (long i = 0; i <= count; i++) {
            double v = i * step;
            String label = v == 0
                    ? "0"
                    : this == TOKENS ? tokens(Math.round(v)) : decimals(v / unit, step / unit) + suffixes[power];
            out.add(new Tick(v, label));
        }
        return out;
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5}) {
            if (m * p >= raw * (1 - 1e-9)) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** {@code v} with as many decimals as the step needs (steps of 2.5: one; of 0.25: two). */
    private static String decimals(double v, double step) {
        int d = 0;
        while (d < 3 && Math.abs(step * Math.pow(10, d) - Math.rint(step * Math.pow(10, d))) > 1e-6) {
            d++;
        }
        return String.format(Locale.ROOT, "%." + d + "f", v);
    }

    /** 8,192 -> "8k", 131,072 -> "128k", 1,048,576 -> "1M", 700 -> "700": contexts as people name them. */
    static String tokens(long t) {
        if (t >= 1 << 20 && t % (1 << 20) == 0) {
            return (t >> 20) + "M";
        }
        if (t >= 1024 && t % 1024 == 0) {
            return (t >> 10) + "k";
        }
        return Units.exact(t);
    }
}
