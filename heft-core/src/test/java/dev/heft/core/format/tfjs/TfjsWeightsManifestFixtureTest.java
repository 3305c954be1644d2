package dev.heft.core.format.tfjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.format.Formats;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.model.ModelResolver;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bare {@code weights_manifest.json} written by tfjs-converter's {@code write_weights}
 * ({@code scripts/fixtures/tfjs_weights_manifest.py}); expected numbers come from that writer's own serializers and
 * from tfjs-core 4.22's {@code io.decodeWeights} ({@code scripts/fixtures/tfjs_load_weights.cjs}), never from heft.
 */
class TfjsWeightsManifestFixtureTest {
    private static final Path DIR = Path.of("src/test/resources/fixtures/tfjs-weights-manifest");

    @TempDir
    Path temp;

    private static JsonObject expected() throws IOException {
        return Json.parse(Files.readAllBytes(DIR.resolve("expected.json"))).asObject("expected.json");
    }

    @Test
    void everyWeightHasTheWritersBytesAndTfjsCoresDecodedCount() throws IOException {
        JsonObject e = expected();
        Path manifest = DIR.resolve(e.getString("manifest", ""));
        assertThat(Formats.require(manifest)).isInstanceOf(TfjsReader.class);
        TensorInventory inv = Formats.require(manifest).read(manifest);
        assertThat(inv.format()).isEqualTo(ModelFormat.TFJS);
        assertThat(inv.metadata()).containsEntry("tfjs.manifest", "weights manifest");

        JsonObject weights = e.getObject("weights").orElseThrow();
        assertThat(inv.tensors()).hasSize(weights.members().size());
        long parameters = 0;
        for (Map.Entry<String, JsonValue> w : weights.members().entrySet()) {
            JsonObject truth = (JsonObject) w.getValue();
            JsonObject decoded = truth.getObject("tfjs_decoded").orElseThrow();
            Tensor t = inv.tensor(w.getKey()).orElseThrow();
            assertThat(t.bytes()).as(w.getKey() + " stored bytes").isEqualTo(truth.getLong("stored_bytes", -1));
            assertThat(t.elements()).as(w.getKey()).isEqualTo(decoded.getLong("size", -1));
            // Parameters are what tfjs-core decodes to float32 (quantized entries included) or complex64.
            String dtype = decoded.getString("dtype", "");
            boolean parameter = dtype.equals("float32") || dtype.equals("complex64");
            assertThat(t.role()).as(w.getKey()).isEqualTo(parameter ? TensorRole.WEIGHT : TensorRole.CONSTANT);
            parameters += parameter ? decoded.getLong("size", -1) : 0;
        }
        assertThat(inv.parameters()).isEqualTo(parameters);
        // and the float32 part is what tfjs-core decoded as float32
        assertThat(inv.tensors().stream()
                        .filter(t -> t.role() == TensorRole.WEIGHT && !t.name().equals("dense/complex"))
                        .mapToLong(Tensor::parameters)
                        .sum())
                .isEqualTo(e.getObject("tfjs_core").orElseThrow().getLong("decoded_float32_elements", -1));

        // The shard files the writer wrote hold exactly the weights' bytes, group by group.
        long shardBytes = 0;
        for (JsonValue g : e.getArray("groups").orElseThrow().elements()) {
            shardBytes += ((JsonObject) g).getLong("shard_bytes", -1);
        }
        assertThat(inv.tensorBytes()).isEqualTo(shardBytes);
        assertThat(inv.metadata())
                .containsEntry("tfjs.weight_groups", (long)
                        e.getArray("groups").orElseThrow().size())
                .containsEntry("tfjs.quantized_weights", 4L);
        assertThat(inv.files()).hasSize(1 + 4 + 1);
    }

    @Test
    void aFolderWithOneManifestReadsItAndWithSeveralAsksWhichOne() throws IOException {
        for (String f : new String[] {
            "weights_manifest.json",
            "group1-shard1of4.bin",
            "group1-shard2of4.bin",
            "group1-shard3of4.bin",
            "group1-shard4of4.bin",
            "group2-shard1of1.bin"
        }) {
            Files.copy(DIR.resolve(f), temp.resolve(f));
        }
        ResolvedModel one = new ModelResolver().resolve(temp.toString());
        assertThat(((ResolvedModel.Stored) one).inventory().format()).isEqualTo(ModelFormat.TFJS);

        // face-api.js names its manifests <net>-weights_manifest.json, several per folder
        Files.copy(
                DIR.resolve("weights_manifest.json"), temp.resolve("tiny_face_detector_model-weights_manifest.json"));
        assertThatThrownBy(() -> new ModelResolver().resolve(temp.toString()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("holds 2 models")
                .hasMessageContaining("tiny_face_detector_model-weights_manifest.json")
                .hasMessageNotContaining("\n");
        ResolvedModel named = new ModelResolver()
                .resolve(temp.resolve("tiny_face_detector_model-weights_manifest.json")
                        .toString());
        assertThat(((ResolvedModel.Stored) named).inventory().parameters())
                .isEqualTo(((ResolvedModel.Stored) one).inventory().parameters());
    }

    @Test
    void hostileBareManifestsAreTypedOneLineErrors() throws IOException {
        Path m = temp.resolve("weights_manifest.json");
        Files.write(temp.resolve("s.bin"), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 'a'});
        Map<String, String> cases = Map.of(
                // a string's length prefix claims 2 GiB of a 5-byte shard
                "[{\"paths\":[\"s.bin\"],\"weights\":[{\"name\":\"v\",\"shape\":[1],\"dtype\":\"string\"}]}]",
                "declares 2147483647 bytes",
                "[{\"paths\":[\"../s.bin\"],\"weights\":[]}]",
                "[0].paths[0]",
                "[{\"paths\":[\"s.bin\"],\"weights\":[{\"name\":\"i\",\"shape\":[1],\"dtype\":\"int32\","
                        + "\"quantization\":{\"dtype\":\"float16\"}}]}]",
                "int32 (uint8, uint16)",
                "[{\"paths\":[\"s.bin\"],\"weights\":[{\"name\":\"q\",\"shape\":[1],\"dtype\":\"float32\","
                        + "\"quantization\":{\"dtype\":\"uint8\",\"scale\":0.1}}]}]",
                "no numeric scale and min",
                "[{\"paths\":[\"s.bin\"],\"weights\":[{\"name\":\"f\",\"shape\":[2],\"dtype\":\"float32\"}]}]",
                "needs 8 bytes",
                "[{\"paths\":[\"s.bin\"],\"weights\":7}]",
                "[0].weights");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Files.writeString(m, c.getKey());
            assertThat(Formats.require(m)).as(c.getKey()).isInstanceOf(TfjsReader.class);
            assertThatThrownBy(() -> new TfjsReader().read(m))
                    .as(c.getKey())
                    .isInstanceOf(dev.heft.core.error.ModelFormatException.class)
                    .hasMessageContaining(c.getValue())
                    .hasMessageNotContaining("\n");
        }
        // arrays that are not manifests are not taken for one
        for (String notManifest : new String[] {"[]", "[1,2]", "[{\"paths\":[]}]", "[{\"a\":1}"}) {
            Files.writeString(m, notManifest);
            assertThat(new TfjsReader().recognises(notManifest.getBytes(java.nio.charset.StandardCharsets.UTF_8), m))
                    .as(notManifest)
                    .isFalse();
        }
    }

    /**
     * Entries write_weights cannot produce (it quantizes float32 only) but tfjs-core's decodeWeights reads: a uint8
     * int32 entry dequantizes to int32 (a constant, not a parameter), and a {min, max} range instead of {scale, min}.
     */
    @Test
    void quantizedInt32IsAConstantAndAMinMaxRangeIsAccepted() throws IOException {
        Files.write(temp.resolve("q.bin"), new byte[6 + 4 * 2]);
        Path m = Files.writeString(
                temp.resolve("q-weights_manifest.json"),
                "[{\"paths\":[\"q.bin\"],\"weights\":["
                        + "{\"name\":\"ids\",\"shape\":[2,3],\"dtype\":\"int32\",\"quantization\":{\"dtype\":\"uint8\","
                        + "\"scale\":1,\"min\":0}},"
                        + "{\"name\":\"w\",\"shape\":[4],\"dtype\":\"float32\",\"quantization\":{\"dtype\":\"uint16\","
                        + "\"min\":-1,\"max\":1}}]}]");
        TensorInventory inv = new TfjsReader().read(m);
        Tensor ids = inv.tensor("ids").orElseThrow();
        assertThat(ids.role()).isEqualTo(TensorRole.CONSTANT);
        assertThat(ids.bytes()).isEqualTo(2 * 3);
        Tensor w = inv.tensor("w").orElseThrow();
        assertThat(w.parameters()).isEqualTo(4);
        assertThat(w.bytes()).isEqualTo(4 * 2);
        assertThat(inv.parameters()).isEqualTo(4);
    }
}
