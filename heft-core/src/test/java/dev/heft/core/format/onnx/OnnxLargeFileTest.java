package dev.heft.core.format.onnx;

import static dev.heft.core.format.onnx.OnnxModels.FLOAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model past 2 GiB: one initializer with 2.5 GiB of inline raw_data, then a second initializer and a node after
 * it. The file is sparse (the payload is a hole), so the test writes a few hundred bytes; the reader must walk past
 * the payload with long offsets and place the second tensor beyond 2^31.
 */
class OnnxLargeFileTest {
    private static final long RAW = 5L << 29; // 2.5 GiB

    @TempDir
    Path dir;

    @Test
    void tensorsPastTwoGibibytesAreLocatedWithLongOffsets() throws Exception {
        byte[] bigPrefix = new Proto()
                .packedVarints(1, RAW / 4)
                .varint(2, FLOAT)
                .string(8, "big")
                .tag(9, 2)
                .rawVarint(RAW)
                .toBytes();
        long bigLength = bigPrefix.length + RAW;
        byte[] after = new Proto()
                .message(5, OnnxModels.tensor("after", FLOAT, new long[] {4}, OnnxModels.floats(4)))
                .message(1, OnnxModels.node("MatMul", List.of("x", "big"), List.of("y")))
                .message(1, OnnxModels.node("Add", List.of("y", "after"), List.of("z")))
                .toBytes();
        byte[] graphPrefix = new Proto().tag(5, 2).rawVarint(bigLength).toBytes();
        long graphLength = graphPrefix.length + bigLength + after.length;
        byte[] modelPrefix =
                new Proto().varint(1, 10).tag(7, 2).rawVarint(graphLength).toBytes();
        Path p = dir.resolve("large.onnx");
        long payloadAt = modelPrefix.length + graphPrefix.length + bigPrefix.length;
        try (FileChannel ch = FileChannel.open(
                p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SPARSE)) {
            ch.write(ByteBuffer.wrap(modelPrefix), 0);
            ch.write(ByteBuffer.wrap(graphPrefix), modelPrefix.length);
            ch.write(ByteBuffer.wrap(bigPrefix), modelPrefix.length + graphPrefix.length);
            ch.write(ByteBuffer.wrap(after), payloadAt + RAW);
        }

        TensorInventory inv = new OnnxReader().read(p);
        Tensor big = inv.tensor("big").orElseThrow();
        assertThat(big.offset()).isEqualTo(payloadAt);
        assertThat(big.bytes()).isEqualTo(RAW);
        Tensor second = inv.tensor("after").orElseThrow();
        assertThat(second.offset()).isGreaterThan(Integer.MAX_VALUE);
        assertThat(second.offset() + second.bytes()).isLessThanOrEqualTo(payloadAt + RAW + after.length);
        assertThat(inv.parameters()).isEqualTo(RAW / 4 + 4);
        assertThat(OnnxModelInfo.fromMetadata(inv.metadata()).ops())
                .containsEntry("MatMul", 1L)
                .containsEntry("Add", 1L);
    }
}
