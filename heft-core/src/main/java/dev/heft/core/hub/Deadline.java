package dev.heft.core.hub;

import java.time.Duration;

/**
 * A point in time by which work must be done, on the monotonic clock. A resolve has one for all of its requests (so a
 * server that trickles one byte a second cannot hold heft past it), and each request another, the earlier of the two.
 */
record Deadline(long nanos, Duration budget) {

    static Deadline in(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos(), budget);
    }

    /** The earlier of this deadline and {@code budget} from now. */
    Deadline atMost(Duration budget) {
        long other = System.nanoTime() + budget.toNanos();
        return other - nanos < 0 ? new Deadline(other, budget) : this;
    }

    long remainingNanos() {
        return nanos - System.nanoTime();
    }

    boolean passed() {
        return remainingNanos() <= 0;
    }

    Duration remaining() {
        return Duration.ofNanos(Math.max(0, remainingNanos()));
    }
}
