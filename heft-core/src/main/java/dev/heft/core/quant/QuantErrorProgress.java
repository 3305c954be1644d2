package dev.heft.core.quant;

/**
 * Progress of the error scan's main pass. Called from worker threads, never concurrently, after each chunk; the
 * totals count the floating-point tensors scanned (their stored bytes), not the whole file.
 */
@FunctionalInterface
public interface QuantErrorProgress {
    void progress(int tensorsDone, int tensorsTotal, long bytesDone, long bytesTotal);

    QuantErrorProgress NONE = (a, b, c, d) -> {};
}
