package dev.heft.core.format.tflite;

import dev.heft.core.format.tflite.FlatWriter.ScalarVector;
import dev.heft.core.format.tflite.FlatWriter.Str;
import dev.heft.core.format.tflite.FlatWriter.Table;
import dev.heft.core.format.tflite.FlatWriter.TableVector;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates TFLite fixtures with {@link FlatWriter}, following tensorflow/lite/schema/schema.fbs (Model, SubGraph,
 * Tensor, QuantizationParameters, Buffer field order). The model mimics what the converter writes for a float Dense
 * layer followed by an int8 per-channel quantized FullyConnected:
 *
 * <pre>
 *   input            float32 [1, 3]      buffer 0 (activation)
 *   dense/kernel     float32 [4, 3]      buffer 1 (48 bytes)
 *   dense/bias       float32 [4]         buffer 2 (16 bytes)
 *   dense/out        float32 [1, 4]      buffer 6 (empty: activation)
 *   fc/kernel        int8    [8, 4]      buffer 3 (32 bytes), 8 scales + 8 zero points, quantized_dimension 0
 *   fc/bias          int32   [8]         buffer 4 (32 bytes), 8 scales + 8 zero points
 *   reshape/shape    int32   [2]         buffer 5 (8 bytes), no quantization: a constant
 *   fc/out           int8    [1, 8]      buffer 0, 1 scale + 1 zero point (activation: not counted)
 * </pre>
 * Buffer bytes are a recognisable pattern ({@link #pattern}) so tests can check offsets point at them.
 */
final class TfliteFixtures {
    static final int KERNEL_ROWS = 4, KERNEL_COLS = 3, Q_ROWS = 8, Q_COLS = 4;

    private TfliteFixtures() {}

    /** Bytes {@code seed, seed+1, ...} (mod 256). */
    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i);
        }
        return b;
    }

    static Table buffer(byte[] data) {
        Table t = Table.of();
        if (data != null) {
            t.ref(0, ScalarVector.bytes(data));
        }
        return t;
    }

    static Table tensor(String name, int type, int buffer, int[] shape, Table quantization) {
        Table t = Table.of()
                .ref(0, ScalarVector.ints(shape))
                .u8(1, type)
                .i32(2, buffer)
                .ref(3, new Str(name));
        if (quantization != null) {
            t.ref(4, quantization);
        }
        return t;
    }

    static Table perChannel(int channels, int dimension) {
        float[] scales = new float[channels];
        long[] zeros = new long[channels];
        for (int i = 0; i < channels; i++) {
            scales[i] = 0.01f * (i + 1);
        }
        return Table.of()
                .ref(2, ScalarVector.floats(scales))
                .ref(3, ScalarVector.longs(zeros))
                .i32(6, dimension);
    }

    static List<Table> buffers() {
        List<Table> buffers = new ArrayList<>();
        buffers.add(buffer(null)); // 0: the empty sentinel
        buffers.add(buffer(pattern(KERNEL_ROWS * KERNEL_COLS * 4, 1))); // 1: dense/kernel f32
        buffers.add(buffer(pattern(KERNEL_ROWS * 4, 101))); // 2: dense/bias f32
        buffers.add(buffer(pattern(Q_ROWS * Q_COLS, 51))); // 3: fc/kernel int8
        buffers.add(buffer(pattern(Q_ROWS * 4, 151))); // 4: fc/bias int32
        buffers.add(buffer(pattern(2 * 4, 201))); // 5: reshape/shape int32
        buffers.add(buffer(new byte[0])); // 6: empty data: activation
        return buffers;
    }

    static List<Table> tensors() {
        List<Table> t = new ArrayList<>();
        t.add(tensor("input", 0, 0, new int[] {1, 3}, null));
        t.add(tensor("dense/kernel", 0, 1, new int[] {KERNEL_ROWS, KERNEL_COLS}, null));
        t.add(tensor("dense/bias", 0, 2, new int[] {KERNEL_ROWS}, null));
        t.add(tensor("dense/out", 0, 6, new int[] {1, KERNEL_ROWS}, null));
        t.add(tensor("fc/kernel", 9, 3, new int[] {Q_ROWS, Q_COLS}, perChannel(Q_ROWS, 0)));
        t.add(tensor("fc/bias", 2, 4, new int[] {Q_ROWS}, perChannel(Q_ROWS, 0)));
        t.add(tensor("reshape/shape", 2, 5, new int[] {2}, null));
        t.add(tensor("fc/out", 9, 0, new int[] {1, Q_ROWS}, perChannel(1, 0)));
        return t;
    }

    static Table model(List<Table> tensors, List<Table> buffers, long version) {
        Table subgraph = Table.of()
                .ref(0, new TableVector(tensors))
                .ref(1, ScalarVector.ints(0))
                .ref(2, ScalarVector.ints(7))
                .ref(3, new TableVector(List.of(Table.of(), Table.of())))
                .ref(4, new Str("main"));
        Table metadata = Table.of().ref(0, new Str("min_runtime_version")).i32(1, 0);
        return Table.of()
                .i32(0, (int) version)
                .ref(2, new TableVector(List.of(subgraph)))
                .ref(3, new Str("heft test model"))
                .ref(4, new TableVector(buffers))
                .ref(6, new TableVector(List.of(metadata)));
    }

    static byte[] model() {
        return FlatWriter.file("TFL3", model(tensors(), buffers(), 3));
    }
}
