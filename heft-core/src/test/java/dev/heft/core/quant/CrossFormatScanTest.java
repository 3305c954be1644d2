package dev.heft.core.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.model.ModelResolver;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.quant.QuantErrorReport.TensorError;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.testing.SharedFixtures;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same tiny-llama weights written by transformers/torch as safetensors (one file and 10 shards) and as PyTorch
 * checkpoints (zip and pre-1.6 legacy): heft's readers hand the scan absolute offsets into each container, and every
 * tensor's error must come out identical whatever the container.
 */
class CrossFormatScanTest {
    private static final List<QuantScheme> SCHEMES = QuantScheme.parseList("q8_0,q4_k,int8-channel,int4-g64,nf4");

    private static List<TensorError> scan(String relative) throws IOException {
        String path = SharedFixtures.fixture(relative).toString();
        TensorInventory inv = ((ResolvedModel.Stored) new ModelResolver().resolve(path)).inventory();
        QuantErrorReport r = QuantErrorScanner.scan(
                inv, SCHEMES, QuantErrorOptions.defaults().withChunkBytes(8192), QuantErrorProgress.NONE);
        return r.tensors().stream()
                .sorted(Comparator.comparing(TensorError::tensor).thenComparing(TensorError::scheme))
                .toList();
    }

    @Test
    void safetensorsSingleShardedAndPyTorchCheckpointsGiveTheSameErrors() throws IOException {
        List<TensorError> single = scan("hf/safetensors/tiny-llama-f32");
        // 2 layers x 7 matrices + embed + lm_head = 16; rows are 64 (hidden) or 176 (down_proj, intermediate 176):
        // q4_k's 256-blocks fit none, q8_0's 32 and int4's 64 do not fit 176, int8-channel and nf4 fit all
        assertThat(single).hasSize(16 + 16 + 14 + 14);
        assertThat(single)
                .filteredOn(t -> t.scheme().equals("q8_0"))
                .hasSize(14)
                .noneMatch(t -> t.tensor().contains("down_proj"));
        assertThat(single).noneMatch(t -> t.scheme().equals("q4_k"));
        assertThat(single).allMatch(t -> t.rmse() > 0 && t.cosine() > 0.99);
        assertThat(scan("hf/safetensors/tiny-llama-sharded")).isEqualTo(single);
        assertThat(scan("hf/pytorch/tiny-llama-state_dict.bin")).isEqualTo(single);
        assertThat(scan("hf/pytorch/tiny-llama-legacy.bin")).isEqualTo(single);
    }

    @Test
    void bf16CheckpointsAndOnnxInlineVersusExternalDataAgree() throws IOException {
        List<TensorError> bf16 = scan("hf/safetensors/tiny-llama-bf16");
        assertThat(bf16).hasSize(60);
        assertThat(scan("hf/pytorch/tiny-llama-bf16.bin")).isEqualTo(bf16);
        List<TensorError> inline = scan("hf/onnx/tiny-cnn.onnx");
        assertThat(inline).isNotEmpty();
        assertThat(scan("hf/onnx/tiny-cnn-external.onnx")).isEqualTo(inline);
    }
}
