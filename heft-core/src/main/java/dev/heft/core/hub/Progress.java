package dev.heft.core.hub;

/**
 * Told how fetching a model's headers goes, for a progress line on a terminal; the engine itself prints nothing.
 * Called from several threads.
 */
@FunctionalInterface
public interface Progress {
    /*
     * An anonymous class, not a lambda: a lambda for an interface with a default method and a static initializer is
     * not kept in the AOT cache (JDK 25), so every command spun this one's class and method handles at start-up.
     */
    Progress NONE = new Progress() {
        @Override
        public void files(int done, int total, long bytes) {}
    };

    /** {@code done} of {@code total} files have their headers; {@code bytes} body bytes received so far. */
    void files(int done, int total, long bytes);

    /** The fetch is over (whether it succeeded or not): a terminal line can be cleared. */
    default void finished() {}
}
