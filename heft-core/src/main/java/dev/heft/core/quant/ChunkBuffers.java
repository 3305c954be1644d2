package dev.heft.core.quant;

import java.nio.ByteBuffer;

/**
 * One worker thread's scratch memory for the scan's passes, grown on demand to the largest chunk and reused for
 * every chunk after, so the scan allocates per thread, not per chunk, and its memory stays flat whatever the model
 * size. Confined to its thread (the scanner hands them out through a ThreadLocal).
 */
final class ChunkBuffers {
    float[] x = new float[0];
    float[] y = new float[0];
    short[] halves = new short[0];
    double[] doubles = new double[0];
    int[] hist = new int[1 << 16];
    ByteBuffer direct = ByteBuffer.allocateDirect(0);
    final SchemeRoundTrips.Work work = new SchemeRoundTrips.Work();

    void ensure(int n) {
        if (x.length < n) {
            x = new float[n];
            y = new float[n];
        }
    }

    /** The direct buffer, at least {@code len} bytes, cleared and limited to {@code len}. */
    ByteBuffer direct(int len) {
        if (direct.capacity() < len) {
            direct = ByteBuffer.allocateDirect(len);
        }
        return direct.clear().limit(len);
    }
}
