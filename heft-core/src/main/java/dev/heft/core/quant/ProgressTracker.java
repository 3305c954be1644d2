package dev.heft.core.quant;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns finished chunks of the main pass into {@link QuantErrorProgress} calls: counts bytes and finished tensors
 * (a tensor is done when its last chunk is, whichever thread ran it) and serializes the calls, as that interface
 * promises its implementations.
 */
final class ProgressTracker {
    private final QuantErrorProgress progress;
    private final Map<TensorPlan, int[]> left = new HashMap<>();
    private final int total;
    private final long totalBytes;
    private int tensorsDone;
    private long bytesDone;

    ProgressTracker(QuantErrorProgress progress, List<TensorPlan> plans, int total, long totalBytes) {
        this.progress = progress;
        for (TensorPlan p : plans) {
            left.put(p, new int[] {p.chunks});
        }
        this.total = total;
        this.totalBytes = totalBytes;
    }

    synchronized void chunkDone(TensorPlan p, int c) {
        bytesDone += p.chunkBytes(c);
        if (--left.get(p)[0] == 0) {
            tensorsDone++;
        }
        progress.progress(tensorsDone, total, bytesDone, totalBytes);
    }
}
