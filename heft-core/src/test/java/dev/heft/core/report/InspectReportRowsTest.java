package dev.heft.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.classify.Classification;
import dev.heft.core.classify.TensorClassifier;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code --tensors} rows: every tensor in inventory order beside the classifier's answer for it. */
class InspectReportRowsTest {

    @Test
    void oneRowPerTensorInOrderWithItsClassification() {
        List<Tensor> tensors = List.of(
                Tensor.weight("model.embed_tokens.weight", new long[] {64, 8}, DType.BF16, 0, 1024, null),
                Tensor.weight("model.layers.0.self_attn.q_proj.weight", new long[] {8, 8}, DType.BF16, 0, 128, null),
                Tensor.weight(
                        "model.layers.0.mlp.experts.3.up_proj.weight", new long[] {16, 8}, DType.BF16, 0, 256, null),
                Tensor.weight("model.layers.1.input_layernorm.weight", new long[] {8}, DType.F32, 0, 32, null),
                Tensor.weight("lm_head.weight", new long[] {64, 8}, DType.BF16, 0, 1024, null));
        TensorInventory inv = new TensorInventory(ModelFormat.SAFETENSORS, List.of(), tensors, Map.of());
        List<Classification> expected = new TensorClassifier().classifyAll(inv);

        List<InspectReport.Row> rows = InspectReport.of(inv).rows();

        assertThat(rows).hasSize(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            assertThat(rows.get(i)).isEqualTo(new InspectReport.Row(tensors.get(i), expected.get(i)));
        }
        assertThat(rows.get(2).classification().block()).isEqualTo(0);
        assertThatThrownBy(() -> rows.add(rows.getFirst())).isInstanceOf(UnsupportedOperationException.class);
    }
}
