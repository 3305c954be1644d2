package dev.heft.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.pytorch.PyTorchShards;
import dev.heft.core.format.pytorch.PyTorchZipReader;
import dev.heft.core.hub.FakeHub;
import dev.heft.core.hub.NetworkSettings;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hub repos whose weights are only {@code pytorch_model.bin} (one file, or shards with
 * {@code pytorch_model.bin.index.json}) read over HTTP without their tensor data, from the bytes torch 2.11 wrote
 * (fixtures/hf/pytorch; counts from its expected.json): the model equals the local folder's, file offsets aside.
 */
class RemotePyTorchTest {
    private static final Path PYTORCH = SharedFixtures.fixture("hf/pytorch");
    private static final Path LLAMA_CONFIG = SharedFixtures.fixture("hf/safetensors/tiny-llama-f32/config.json");
    private static final int SLACK = 32 << 10;

    @TempDir
    Path home;

    @TempDir
    Path repo;

    FakeHub hub;

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private ResolvedModel.Stored remote(String argument) throws IOException {
        ResolverSettings s = ResolverSettings.fromEnvironment(
                        Map.of("HF_ENDPOINT", hub.endpoint().toString()), home)
                .withNetwork(NetworkSettings.defaults()
                        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20))
                        .withRetries(3, Duration.ofMillis(5)));
        return (ResolvedModel.Stored) new ModelResolver(s).resolve(argument);
    }

    private static TensorInventory local(Path p) throws IOException {
        return ((ResolvedModel.Stored)
                        new ModelResolver(ResolverSettings.offlineUnder(Path.of("/nonexistent"))).resolve(p.toString()))
                .inventory();
    }

    @Test
    void aRepoWithOnlyPytorchModelBinIsReadFromItsEndAndPickle() throws Exception {
        Files.copy(PYTORCH.resolve("tiny-llama-state_dict.bin"), repo.resolve("pytorch_model.bin"));
        Files.copy(LLAMA_CONFIG, repo.resolve("config.json"));
        hub.repo("fixtures/tiny-llama-bin", repo);
        ResolvedModel.Stored m = remote("hf://fixtures/tiny-llama-bin");
        TensorInventory local = local(repo);
        assertThat(Inventories.comparableWithoutOffsets(m.inventory()))
                .isEqualTo(Inventories.comparableWithoutOffsets(local));
        assertThat(Inventories.readerNotes(m.inventory())).isEqualTo(Inventories.readerNotes(local));
        // expected.json: 125,248 parameters in 21 tensors
        assertThat(m.inventory().parameters()).isEqualTo(125_248L);
        assertThat(m.inventory().tensors()).hasSize(21);
        assertThat(m.inventory().config()).isPresent();
        ModelSource source = m.source().orElseThrow();
        assertThat(source.transferredBytes()).isEqualTo(hub.totalBytesServed());
        // the head (data.pkl is torch's first entry) and the tail (the directory): 64 KiB of a 510 KB file
        assertThat(hub.bytesServed("pytorch_model.bin"))
                .isLessThanOrEqualTo(2L * SLACK)
                .isLessThan(Files.size(repo.resolve("pytorch_model.bin")) / 4);
    }

    @Test
    void aShardedPytorchIndexIsOneModelOverHttpAsOnDisk() throws Exception {
        // Two checkpoints torch wrote become the two shards of an index written here (as PyTorchShardsTest does).
        Files.copy(PYTORCH.resolve("tiny-llama-state_dict.bin"), repo.resolve("pytorch_model-00001-of-00002.bin"));
        Files.copy(PYTORCH.resolve("shared-storage.pt"), repo.resolve("pytorch_model-00002-of-00002.bin"));
        TensorInventory first = new PyTorchZipReader().read(repo.resolve("pytorch_model-00001-of-00002.bin"));
        StringJoiner map = new StringJoiner(", ");
        first.tensors().forEach(t -> map.add("\"" + t.name() + "\": \"pytorch_model-00001-of-00002.bin\""));
        for (String v : new String[] {"a", "b", "c"}) {
            map.add("\"" + v + "\": \"pytorch_model-00002-of-00002.bin\"");
        }
        Files.writeString(
                repo.resolve(PyTorchShards.STANDARD_NAME), "{\"metadata\": {}, \"weight_map\": {" + map + "}}");
        hub.repo("fixtures/sharded-bin", repo);

        ResolvedModel.Stored m = remote("hf://fixtures/sharded-bin");
        TensorInventory local = local(repo);
        assertThat(Inventories.comparableWithoutOffsets(m.inventory()))
                .isEqualTo(Inventories.comparableWithoutOffsets(local));
        assertThat(m.inventory().tensors()).hasSize(21 + 3);
        assertThat(m.inventory().parameters()).isEqualTo(125_248L + 60);
        assertThat(m.inventory().files()).hasSize(2);
        assertThat(hub.bytesServed("pytorch_model-00001-of-00002.bin")).isLessThanOrEqualTo(2L * SLACK);
        // the index names the shard it is asked for by name too
        ResolvedModel.Stored named = remote("hf://fixtures/sharded-bin/" + PyTorchShards.STANDARD_NAME);
        assertThat(named.inventory().parameters()).isEqualTo(125_248L + 60);
    }

    @Test
    void anIndexNamingAShardTheRepoLacksSaysWhich() throws Exception {
        Files.copy(PYTORCH.resolve("shared-storage.pt"), repo.resolve("pytorch_model-00001-of-00002.bin"));
        Files.writeString(
                repo.resolve(PyTorchShards.STANDARD_NAME),
                "{\"weight_map\": {\"a\": \"pytorch_model-00001-of-00002.bin\", "
                        + "\"w\": \"pytorch_model-00002-of-00002.bin\"}}");
        hub.repo("fixtures/missing-shard", repo);
        assertThatThrownBy(() -> remote("hf://fixtures/missing-shard"))
                .hasMessageContaining("pytorch_model-00002-of-00002.bin")
                .hasMessageContaining("not in hf://fixtures/missing-shard");
    }

    @Test
    void aLegacyCheckpointIsRefusedByItsBytesWithWhatToDo() throws Exception {
        Files.copy(PYTORCH.resolve("tiny-llama-legacy.bin"), repo.resolve("pytorch_model.bin"));
        hub.repo("fixtures/legacy", repo);
        assertThatThrownBy(() -> remote("hf://fixtures/legacy"))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("legacy (pre-1.6) torch.save file")
                .hasMessageContaining("download the file");
        assertThat(hub.bytesServed("pytorch_model.bin")).isLessThanOrEqualTo(SLACK);
    }

    @Test
    void anHttpsPytorchFileIsReadFromItsEndAndPickle() throws Exception {
        Files.copy(PYTORCH.resolve("tiny-llama-bf16.bin"), repo.resolve("model.bin"));
        hub.repo("files/any", repo);
        ResolvedModel.Stored m = remote(hub.endpoint() + "/files/any/resolve/main/model.bin");
        assertThat(Inventories.comparableWithoutOffsets(m.inventory()))
                .isEqualTo(Inventories.comparableWithoutOffsets(local(repo.resolve("model.bin"))));
        assertThat(m.inventory().parameters()).isEqualTo(125_248L);
    }
}
