package dev.heft.core.testing;

/**
 * The per-input allocation budget of every fuzz target: what one input may make heft allocate, counted by the JVM for
 * the fuzzing thread ({@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}). The promise it checks
 * is "memory bound by input, not by declared sizes": a fixed {@value #FIXED_BYTES}-byte allowance for parser set-up
 * plus {@value #PER_INPUT_BYTE} bytes per input byte. A length or count field that makes a parser allocate more than
 * that is a finding even when the fuzzing JVM's heap ({@code -Xmx256m} in scripts/fuzz.sh) would have held it.
 *
 * <p>Also turns off Jazzer's bug-detector hooks and coverage instrumentation while only replaying seeds (a normal build): installing them
 * rewrites every loaded JDK class first, about a minute on a loaded 2-core machine; real fuzzing
 * ({@code JAZZER_FUZZ=1}) keeps them, they guide the fuzzer.
 */
public final class FuzzBudget {
    /** Allowance for set-up that does not depend on the input (a reader's tables, a parser's buffers). */
    public static final long FIXED_BYTES = 48L << 20;
    /** Allowance per input byte: a parsed value costs a few objects per byte of its encoding. */
    public static final long PER_INPUT_BYTE = 1024;

    /**
     * {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}, found by reflection: heft-core's tests run
     * inside its module, which reads neither java.management nor jdk.management (reflection needs no readability).
     */
    private static final java.lang.invoke.MethodHandle ALLOCATED = allocatedBytesHandle();

    private static java.lang.invoke.MethodHandle allocatedBytesHandle() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory")
                    .getMethod("getThreadMXBean")
                    .invoke(null);
            java.lang.reflect.Method m =
                    Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
            return java.lang.invoke.MethodHandles.publicLookup().unreflect(m).bindTo(bean);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static long allocatedSoFar() {
        try {
            return (long) ALLOCATED.invoke();
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read the thread's allocated bytes", e);
        }
    }

    private FuzzBudget() {}

    /** Call from a fuzz test class's static initialiser. */
    public static void configureHooks() {
        String fuzz = System.getenv("JAZZER_FUZZ");
        if (fuzz == null || fuzz.isEmpty()) {
            System.setProperty("jazzer.hooks", "false");
            // Nor coverage instrumentation: replaying seeds needs no guidance, and instrumenting every heft class a
            // test loads (the whole engine for the HTTP target) costs most of a minute.
            System.setProperty("jazzer.instrumentation_includes", "dev.heft.fuzz.replay.none.**");
        }
    }

    /** A fuzz body that may throw what the target expects; anything it throws propagates unchanged. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} for an input of {@code inputBytes} bytes and fails if it allocated beyond the budget. The first
     * time a code path runs, class loading and Jazzer's instrumentation of the loaded classes allocate on this thread
     * too (tens of MiB); so an input over budget is run once more, and only an input over budget twice is a finding.
     */
    public static void run(long inputBytes, Body body) throws Exception {
        runWithin(budgetFor(inputBytes), "an input of " + inputBytes + " bytes", body);
    }

    /**
     * Runs {@code body} under a fixed {@code budget} instead of one by input size, for work whose size is set by
     * something else the target names (a catalog model's graph for a whole operation); as {@link #run}, an input over
     * budget twice is a finding.
     */
    public static void runWithin(long budget, String what, Body body) throws Exception {
        long used = allocatedBy(body);
        if (used > budget && allocatedBy(body) > budget) {
            throw new AssertionError("allocated " + used + " bytes for " + what + " (budget " + budget + ")");
        }
    }

    private static long allocatedBy(Body body) throws Exception {
        long before = allocatedSoFar();
        body.run();
        return allocatedSoFar() - before;
    }

    public static long budgetFor(long inputBytes) {
        return FIXED_BYTES + PER_INPUT_BYTE * inputBytes;
    }
}
