package dev.heft.core.hub;

/**
 * Told how fetching a model's headers goes, for a progress line on a terminal; the engine itself prints nothing.
 * Called from several threads.
 */
@FunctionalInterface
public interface Progress {
    Progress NONE = (done, total, bytes) -> {};

    /** {@code done} of {@code total} files have their headers; {@code bytes} body bytes received so far. */
    void files(int done, int total, long bytes);

    /** The fetch is over (whether it succeeded or not): a terminal line can be cleared. */
    default void finished() {}
}
