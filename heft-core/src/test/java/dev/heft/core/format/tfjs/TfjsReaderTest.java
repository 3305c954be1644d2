package dev.heft.core.format.tfjs;

import static dev.heft.core.format.tfjs.TfjsFixtures.f32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.ModelFormatException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.Formats;
import dev.heft.core.model.ModelResolver;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TF.js manifests written by {@link TfjsFixtures}; expected numbers are closed forms of the generated layers. */
class TfjsReaderTest {
    @TempDir
    Path dir;

    @Test
    void locatesEveryWeightAcrossShardsAndCountsQuantizedElements() throws IOException {
        Path json = TfjsFixtures.write(dir, TfjsFixtures.defaultGroups(), 32);
        assertThat(Formats.require(json)).isInstanceOf(TfjsReader.class);
        TensorInventory inv = new TfjsReader().read(json);

        assertThat(inv.format()).isEqualTo(ModelFormat.TFJS);
        // Dense(5->4) + BatchNormalization(4: gamma, beta, moving mean, moving variance) + Dense(4->3)
        long params = (5 * 4 + 4) + 4 * 4 + (4 * 3 + 3);
        assertThat(inv.parameters()).isEqualTo(params);
        Tensor qKernel = inv.tensor("dense_1/kernel").orElseThrow();
        assertThat(qKernel.dtype()).isEqualTo(DType.U8);
        assertThat(qKernel.parameters()).isEqualTo(4 * 3);
        assertThat(qKernel.bytes()).isEqualTo(4 * 3);
        Tensor qBias = inv.tensor("dense_1/bias").orElseThrow();
        assertThat(qBias.dtype()).isEqualTo(DType.F16);
        assertThat(qBias.bytes()).isEqualTo(3 * 2);
        Tensor shape = inv.tensor("shape_const").orElseThrow();
        assertThat(shape.role()).isEqualTo(TensorRole.CONSTANT);
        assertThat(inv.tensorBytes()).isEqualTo((5 * 4 + 4 + 16) * 4 + 12 + 6 + 8);

        // Every weight's first bytes are at (file, offset): the generator's pattern for that weight.
        int index = 0;
        for (Tensor t : inv.tensors()) {
            if (t.bytes() > 0) {
                byte[] shard = Files.readAllBytes(t.file());
                assertThat(shard[(int) t.offset()]).as(t.name()).isEqualTo(TfjsFixtures.pattern(index, 0));
            }
            index++;
        }
        // group 0 is 160 bytes cut at 32: dense/kernel (80 bytes) spans shards 1..3, dense/bias starts in shard 3
        Tensor bias = inv.tensor("dense/bias").orElseThrow();
        assertThat(bias.file().getFileName().toString()).isEqualTo("group1-shard3of5.bin");
        assertThat(bias.offset()).isEqualTo(80 - 64);
        assertThat(inv.notes()).anyMatch(n -> n.contains("'dense/kernel' starts in group1-shard1of5.bin"));
        assertThat(inv.metadata())
                .containsEntry("tfjs.format", "layers-model")
                .containsEntry("tfjs.quantized_weights", 2L)
                .containsEntry("tfjs.constant_entries", 1L)
                .containsEntry("tfjs.weight_groups", 2L);
        assertThat(inv.files()).hasSize(1 + 5 + 1);
    }

    @Test
    void resolverSendsAModelJsonAndItsFolderToTheTfjsReader() throws IOException {
        Path json = TfjsFixtures.write(dir, TfjsFixtures.defaultGroups(), 1 << 20);
        for (String arg : List.of(json.toString(), dir.toString())) {
            ResolvedModel resolved = new ModelResolver().resolve(arg);
            assertThat(resolved).isInstanceOf(ResolvedModel.Stored.class);
            assertThat(((ResolvedModel.Stored) resolved).inventory().format()).isEqualTo(ModelFormat.TFJS);
        }
    }

    @Test
    void shardsShorterThanTheManifestAreCorrupt() throws IOException {
        Path json = TfjsFixtures.write(dir, TfjsFixtures.defaultGroups(), 1 << 20);
        Path shard = dir.resolve("group2-shard1of1.bin");
        byte[] bytes = Files.readAllBytes(shard);
        Files.write(shard, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        assertThatThrownBy(() -> new TfjsReader().read(json))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("shape_const")
                .hasMessageContaining("hold only " + (bytes.length - 1));
    }

    @Test
    void extraShardBytesAreNoted() throws IOException {
        Path json = TfjsFixtures.write(dir, TfjsFixtures.defaultGroups(), 1 << 20);
        Files.write(dir.resolve("group2-shard1of1.bin"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        assertThat(new TfjsReader().read(json).notes()).anyMatch(n -> n.contains("ignores the remaining 3"));
    }

    @Test
    void shardPathsThatLeaveTheFolderAreRefused() throws IOException {
        for (String bad : List.of("../secret.bin", "/etc/passwd", "a/../../b.bin", "C:\\x.bin", "", "./x.bin")) {
            Path json = dir.resolve("model.json");
            Files.writeString(json, "{\"weightsManifest\":[{\"paths\":[" + quote(bad) + "],\"weights\":[]}]}");
            assertThatThrownBy(() -> new TfjsReader().read(json))
                    .as(bad)
                    .isInstanceOf(CorruptModelException.class)
                    .hasMessageContaining("weightsManifest[0].paths[0]");
        }
    }

    @Test
    void absurdShapesAndUnknownDtypesAreTypedErrors() throws IOException {
        Path json = dir.resolve("model.json");
        Files.writeString(
                json,
                "{\"weightsManifest\":[{\"paths\":[],\"weights\":[{\"name\":\"w\","
                        + "\"shape\":[4294967296,4294967296,4294967296],\"dtype\":\"float32\"}]}]}");
        assertThatThrownBy(() -> new TfjsReader().read(json))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("weightsManifest[0].weights[0].shape")
                .hasMessageContaining("overflows");
        Files.writeString(
                json,
                "{\"weightsManifest\":[{\"paths\":[],\"weights\":[{\"name\":\"w\","
                        + "\"shape\":[1e400],\"dtype\":\"float32\"}]}]}");
        assertThatThrownBy(() -> new TfjsReader().read(json))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("shape[0]");
        Files.writeString(
                json,
                "{\"weightsManifest\":[{\"paths\":[],\"weights\":[{\"name\":\"w\","
                        + "\"shape\":[-3],\"dtype\":\"float32\"}]}]}");
        assertThatThrownBy(() -> new TfjsReader().read(json))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("shape[0]");
        Files.writeString(
                json,
                "{\"weightsManifest\":[{\"paths\":[],\"weights\":[{\"name\":\"w\","
                        + "\"shape\":[2],\"dtype\":\"float64\"}]}]}");
        assertThatThrownBy(() -> new TfjsReader().read(json))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("weights[0].dtype");
        // a string entry needs at least 4 bytes per element: refused before any length prefix is read
        Files.writeString(
                json,
                "{\"weightsManifest\":[{\"paths\":[],\"weights\":[{\"name\":\"w\","
                        + "\"shape\":[4294967296],\"dtype\":\"string\"}]}]}");
        assertThatThrownBy(() -> new TfjsReader().read(json))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("weights[0]")
                .hasMessageContaining("at least 4 bytes");
        Files.writeString(
                json,
                "{\"weightsManifest\":[{\"paths\":[],\"weights\":[{\"name\":\"w\","
                        + "\"shape\":[2],\"dtype\":\"float32\",\"quantization\":{\"dtype\":\"int4\"}}]}]}");
        assertThatThrownBy(() -> new TfjsReader().read(json))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("quantization.dtype");
        Files.writeString(json, "{\"weightsManifest\": {}}");
        assertThatThrownBy(() -> new TfjsReader().read(json))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("weightsManifest");
        Files.writeString(json, "{\"weightsManifest\": [{\"paths\":[\"missing.bin\"],\"weights\":[]}]}");
        assertThatThrownBy(() -> new TfjsReader().read(json))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("does not exist");
        Files.writeString(json, "{\"weightsManifest\": [");
        assertThatThrownBy(() -> new TfjsReader().read(json)).isInstanceOf(CorruptModelException.class);
    }

    @Test
    void aHuggingFaceConfigIsNotATfjsModel() throws IOException {
        Path cfg = Files.writeString(dir.resolve("config.json"), "{\"model_type\":\"llama\"}");
        assertThat(new TfjsReader().recognises(Files.readAllBytes(cfg), cfg)).isFalse();
    }

    @Test
    void singleGroupWithOneShardGivesPlainOffsets() throws IOException {
        Path json = TfjsFixtures.write(dir, List.of(List.of(f32("a", 3), f32("b", 2, 2))), 1 << 20);
        TensorInventory inv = new TfjsReader().read(json);
        assertThat(inv.tensors()).extracting(Tensor::offset).containsExactly(0L, 12L);
        assertThat(inv.tensors()).extracting(Tensor::bytes).containsExactly(12L, 16L);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\") + "\"";
    }

    static void readOrFailTyped(Path json) throws IOException {
        try {
            new TfjsReader().read(json);
        } catch (ModelFormatException expected) {
            assertThat(expected.getMessage())
                    .contains(json.getFileName().toString())
                    .doesNotContain("\n");
        }
    }
}
