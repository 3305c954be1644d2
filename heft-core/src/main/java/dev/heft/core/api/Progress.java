package dev.heft.core.api;

/**
 * Progress of a long operation (the quant-error scan, fetching remote headers), for a progress line. Called from
 * worker threads, never concurrently.
 */
@FunctionalInterface
public interface Progress {
    /**
     * @param done   units done
     * @param total  units in all
     * @param unit   what is counted ({@code bytes}, {@code files})
     * @param detail a short human detail ({@code 12/30 tensors})
     */
    void update(long done, long total, String unit, String detail);

    Progress NONE = (done, total, unit, detail) -> {};
}
