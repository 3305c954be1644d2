package dev.heft.core.quant;

import dev.heft.core.tensor.Tensor;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * One tensor of a quantization error scan: what {@link ScanPlanner} decided (its file channel, row and channel
 * lengths, chunking, the schemes that apply) and the state the passes fill in (absmax, the pruning threshold, the
 * per-chunk error sums). Kept apart from the passes so each of them reads the same plan and writes only its part.
 */
final class TensorPlan {
    final Tensor tensor;
    final FileChannel channel; // the same file, for positional reads of the data (see ChunkReader.read)
    final int rowLength;
    final int channelLength; // elements per output channel (rank >= 4: all after dim 0; else = rowLength)
    final long elements;
    final int chunkElements;
    final int chunks;
    final List<Integer> schemes = new ArrayList<>(); // indexes into the scheme list
    final ErrorSums[][] partial; // [chunk][scheme]
    float amax;
    final double[] nf4AbsmaxSum = new double[2]; // sum, count of block absmax (NF4 double quantization)
    float nf4Offset;
    long[] highHist;
    long[] lowHist;
    int pruneHigh;
    long pruneCount;
    float pruneThreshold = Float.NEGATIVE_INFINITY; // |w| < threshold is pruned, plus pruneTies at == threshold
    long pruneTies;

    TensorPlan(
            Tensor tensor,
            FileChannel channel,
            int rowLength,
            int channelLength,
            long elements,
            int chunkElements,
            int nSchemes) {
        this.tensor = tensor;
        this.channel = channel;
        this.rowLength = rowLength;
        this.channelLength = channelLength;
        this.elements = elements;
        this.chunkElements = chunkElements;
        this.chunks = Math.toIntExact((elements + chunkElements - 1) / chunkElements);
        this.partial = new ErrorSums[chunks][nSchemes];
    }

    int chunkLength(int c) {
        return (int) Math.min(chunkElements, elements - (long) c * chunkElements);
    }

    long chunkBytes(int c) {
        return (long) chunkLength(c) * tensor.dtype().blockBytes();
    }
}
