package dev.heft.core.arch.hf;

/**
 * How close a count is to what transformers builds. A family heft models module by module is {@link Exact} (tested
 * against transformers' own counts from default, shrunken and published configs); any other config is counted from
 * the generic transformer shape and is {@link Approximate}, with the bound its tier earned on ground truth it was not
 * tuned on ({@link GenericTransformer}).
 */
public sealed interface CountAccuracy {
    boolean exact();

    /** Counted module by module: parameters, buffers and per-class counts equal transformers'. */
    record Exact() implements CountAccuracy {
        public static final Exact INSTANCE = new Exact();

        @Override
        public boolean exact() {
            return true;
        }
    }

    /**
     * Counted from the generic transformer shape, with the errors its tier made on held-out ground truth.
     *
     * @param typicalBound relative error of parameters that 9 in 10 held-out configs of this tier stayed within
     *                     (0.4 means the true count was within 40% above or below)
     * @param worstSeen    the largest relative error seen in this tier: how far off the count can be
     * @param tier         what the generic reader recognised (a text decoder, a single stack, a composite...)
     * @param basis        how the bounds were measured, in words a user can check
     */
    record Approximate(double typicalBound, double worstSeen, String tier, String basis) implements CountAccuracy {
        public Approximate {
            if (!(typicalBound > 0) || !(worstSeen >= typicalBound)) {
                throw new IllegalArgumentException("an approximation needs 0 < typical bound <= worst seen, got "
                        + typicalBound + " and " + worstSeen);
            }
        }

        @Override
        public boolean exact() {
            return false;
        }

        /** For text: "typically within ±40%, off by up to 800% at worst". */
        public String boundText() {
            return "typically within \u00b1" + percent(typicalBound) + ", off by up to " + percent(worstSeen)
                    + " at worst";
        }

        private static String percent(double v) {
            return (long) Math.ceil(v * 100) + "%";
        }
    }
}
