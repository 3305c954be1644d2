package dev.heft.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.classify.LayerKind;
import dev.heft.core.format.onnx.OnnxReader;
import dev.heft.core.testing.SharedFixtures;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * ONNX exporters and quantizers rename weights ({@code val_100_Q4}); heft places them by the module scope torch.onnx
 * recorded on the consuming node. The same BERT exported in fp32, int8 (quantize_dynamic) and int4 (MatMulNBits) must
 * therefore break down into the same layer kinds, with nothing unclassified.
 */
class OnnxKindsTest {
    private static Map<LayerKind, Long> kinds(String file) throws Exception {
        var inv = new OnnxReader().read(SharedFixtures.fixture("hf/onnx/" + file));
        InspectReport r = InspectReport.of(inv);
        Map<LayerKind, Long> out = new TreeMap<>();
        r.byKind().forEach((k, v) -> out.put(k, v.parameters()));
        return out;
    }

    @Test
    void fp32Int8AndInt4BertBreakDownAlike() throws Exception {
        Map<LayerKind, Long> fp32 = kinds("tiny-bert.onnx");
        assertThat(fp32)
                .doesNotContainKey(LayerKind.OTHER)
                .containsKeys(LayerKind.ATTENTION, LayerKind.MLP, LayerKind.EMBEDDING, LayerKind.NORM);
        assertThat(kinds("tiny-bert-int8.onnx")).isEqualTo(fp32);
        assertThat(kinds("tiny-bert-int4.onnx")).isEqualTo(fp32);
        // The README: 103,298 float initializers in each file, two of them rank-0 literals (not parameters).
        assertThat(fp32.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(103_296L);
    }
}
