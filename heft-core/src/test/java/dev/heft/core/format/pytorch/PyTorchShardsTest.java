package dev.heft.core.format.pytorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.model.ModelResolver;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.testing.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sharded .bin checkpoints read as one model, on real bytes torch wrote: two fixture files become the two shards of
 * an index written here. Expected counts come from fixtures/hf/expected.json and its README.
 */
class PyTorchShardsTest {
    @TempDir
    Path dir;

    private void shards(String extraEntry) throws Exception {
        Files.copy(
                SharedFixtures.fixture("hf/pytorch/tiny-llama-state_dict.bin"),
                dir.resolve("pytorch_model-00001-of-00002.bin"));
        Files.copy(
                SharedFixtures.fixture("hf/pytorch/shared-storage.pt"),
                dir.resolve("pytorch_model-00002-of-00002.bin"));
        TensorInventory first = new PyTorchZipReader().read(dir.resolve("pytorch_model-00001-of-00002.bin"));
        StringJoiner map = new StringJoiner(", ");
        first.tensors().forEach(t -> map.add("\"" + t.name() + "\": \"pytorch_model-00001-of-00002.bin\""));
        for (String v : new String[] {"a", "b", "c"}) {
            map.add("\"" + v + "\": \"pytorch_model-00002-of-00002.bin\"");
        }
        Files.writeString(
                dir.resolve(PyTorchShards.STANDARD_NAME),
                "{\"metadata\": {}, \"weight_map\": {" + map + extraEntry + "}}");
    }

    @Test
    void aShardedCheckpointIsOneModel() throws Exception {
        shards("");
        ResolvedModel m = new ModelResolver().resolve(dir.toString());
        TensorInventory inv = ((ResolvedModel.Stored) m).inventory();
        // tiny-llama: 125,248 parameters in 21 tensors; shared-storage.pt: three views over one 60-element storage.
        assertThat(inv.tensors()).hasSize(21 + 3);
        assertThat(inv.parameters()).isEqualTo(125_248L + 60);
        assertThat(inv.files()).hasSize(2);
    }

    @Test
    void aTensorTheIndexNamesButNoShardHoldsIsCorrupt() throws Exception {
        shards(", \"ghost.weight\": \"pytorch_model-00001-of-00002.bin\"");
        assertThatThrownBy(() -> PyTorchShards.read(dir.resolve(PyTorchShards.STANDARD_NAME)))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("ghost.weight");
    }

    @Test
    void shardNamesLeavingTheFolderAreRefused() throws Exception {
        Files.writeString(dir.resolve(PyTorchShards.STANDARD_NAME), "{\"weight_map\": {\"w\": \"../outside.bin\"}}");
        assertThatThrownBy(() -> PyTorchShards.read(dir.resolve(PyTorchShards.STANDARD_NAME)))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("plain file name");
    }
}
