package dev.heft.core.format.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.heft.core.format.Formats;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonBoolean;
import dev.heft.core.json.JsonValue.JsonNumber;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.json.JsonValue.JsonString;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorInventory.MetadataArray;
import dev.heft.core.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 17 llama.cpp-written GGUF fixtures and 5 real vocabulary files, checked against the figures gguf-py's
 * {@code GGUFReader} wrote into their {@code expected.json} (ground truth from the real library, never from heft).
 */
class GgufFixturesTest {

    private static final JsonObject EXPECTED = SharedFixtures.json(SharedFixtures.fixture("gguf/expected.json"));
    private static final JsonObject EXPECTED_REAL =
            SharedFixtures.json(SharedFixtures.fixture("gguf-real/expected.json"));

    static Stream<String> ggufFiles() {
        return EXPECTED.getObject("files").orElseThrow().members().keySet().stream();
    }

    static Stream<String> realFiles() {
        return EXPECTED_REAL.members().keySet().stream();
    }

    @Test
    void allSeventeenFixturesAreListed() {
        assertThat(ggufFiles().count()).isEqualTo(17);
        assertThat(realFiles().count()).isEqualTo(5);
    }

    @ParameterizedTest
    @MethodSource("ggufFiles")
    void headerMatchesGgufPy(String name) throws IOException {
        JsonObject want =
                EXPECTED.getObject("files").orElseThrow().getObject(name).orElseThrow();
        GgufFile got = GgufReader.readFile(SharedFixtures.fixture("gguf/" + name));

        assertThat(got.fileSize()).isEqualTo(want.getLong("file_size", -1));
        assertThat(got.version().number()).isEqualTo(want.getLong("gguf_version", -1));
        assertThat(got.alignment()).isEqualTo(want.getLong("alignment", -1));
        assertThat(got.kvCount()).isEqualTo(want.getLong("kv_count", -1));
        assertThat(got.dataOffset()).isEqualTo(want.getLong("data_offset", -1));
        assertThat(got.tensorCount()).isEqualTo(want.getLong("tensor_count", -1));
        assertThat(got.totalElements()).isEqualTo(want.getLong("total_elements", -1));
        assertThat(got.tensorDataBytes()).isEqualTo(want.getLong("tensor_data_bytes", -1));
        // llama.cpp's own C reader loads these files (README fact 10), so heft must not flag their layout.
        assertThat(got.notes()).isEmpty();
        double bpw = 8.0 * got.tensorDataBytes() / got.totalElements();
        assertThat(bpw).isCloseTo(want.getDouble("bits_per_weight", -1), within(5e-7));

        Map<String, Long> typeCounts = new LinkedHashMap<>();
        for (GgufTensorInfo t : got.tensors()) {
            typeCounts.merge(t.type().displayName(), 1L, Long::sum);
        }
        Map<String, Long> wantCounts = new LinkedHashMap<>();
        want.getObject("tensor_type_counts")
                .orElseThrow()
                .members()
                .forEach((k, v) -> wantCounts.put(k, ((JsonNumber) v).longValueExact(k)));
        assertThat(typeCounts).isEqualTo(wantCounts);

        JsonArray wantTensors = want.getArray("tensors").orElseThrow();
        assertThat(got.tensors()).hasSize(wantTensors.size());
        for (int i = 0; i < wantTensors.size(); i++) {
            JsonObject wt = wantTensors.get(i).asObject(name + " tensor " + i);
            GgufTensorInfo t = got.tensors().get(i);
            String where = name + ": " + wt.getString("name", "?");
            assertThat(t.name()).as(where).isEqualTo(wt.getString("name", null));
            assertThat(t.ggmlDims())
                    .as(where)
                    .containsExactly(longs(wt.getArray("shape").orElseThrow()));
            assertThat(t.type().displayName()).as(where).isEqualTo(wt.getString("ggml_type", null));
            assertThat((long) t.ggmlTypeId()).as(where).isEqualTo(wt.getLong("ggml_type_id", -1));
            assertThat(t.elements()).as(where).isEqualTo(wt.getLong("n_elements", -1));
            assertThat(t.bytes()).as(where).isEqualTo(wt.getLong("n_bytes", -1));
            assertThat(t.relativeOffset()).as(where).isEqualTo(wt.getLong("offset", -1));
        }
    }

    @ParameterizedTest
    @MethodSource("ggufFiles")
    void metadataMatchesGgufPyInFileOrder(String name) throws IOException {
        JsonObject want = EXPECTED.getObject("files")
                .orElseThrow()
                .getObject(name)
                .orElseThrow()
                .getObject("metadata")
                .orElseThrow();
        GgufFile got = GgufReader.readFile(SharedFixtures.fixture("gguf/" + name));
        assertThat(new ArrayList<>(got.metadata().keySet()))
                .containsExactlyElementsOf(want.members().keySet());
        want.members()
                .forEach((key, w) ->
                        assertMetadataValue(name + " " + key, got.metadata().get(key), w));
    }

    private static void assertMetadataValue(String where, Object got, JsonValue want) {
        switch (want) {
            case JsonString s -> assertThat(got).as(where).isEqualTo(s.value());
            case JsonBoolean b -> assertThat(got).as(where).isEqualTo(b.value());
            // a number written without a fraction is an integer KV
            case JsonNumber n
            when n.value().scale() <= 0 -> assertThat(got).as(where).isEqualTo(n.longValueExact(where));
            case JsonNumber n -> assertThat(got).as(where).isEqualTo(n.value().doubleValue());
            case JsonObject o -> {
                // gguf-py's arrays: {"array_of": TYPE, "length": N}
                long length = o.getLong("length", -1);
                if (length > GgufParser.LIST_LIMIT) {
                    assertThat(got).as(where).isInstanceOf(MetadataArray.class);
                    MetadataArray a = (MetadataArray) got;
                    assertThat(a.elementType()).as(where).isEqualTo(o.getString("array_of", null));
                    assertThat(a.length()).as(where).isEqualTo(length);
                    assertThat(a.head()).as(where).hasSize(GgufParser.HEAD);
                } else {
                    assertThat(got).as(where).isInstanceOf(List.class);
                    assertThat((List<?>) got).as(where).hasSize((int) length);
                }
            }
            default -> throw new AssertionError(where + ": unexpected expected value " + want);
        }
    }

    @ParameterizedTest
    @MethodSource("ggufFiles")
    void inventoryUsesLogicalShapesAndAbsoluteOffsets(String name) throws IOException {
        JsonObject want =
                EXPECTED.getObject("files").orElseThrow().getObject(name).orElseThrow();
        Path path = SharedFixtures.fixture("gguf/" + name);
        if (name.contains("-split-")) {
            return; // split parts read as one model: see splitModelReadsAsTheUnsplitModel
        }
        assertThat(Formats.detect(path)).get().isInstanceOf(GgufReader.class);
        TensorInventory inv = new GgufReader().read(path);
        assertThat(inv.format()).isEqualTo(ModelFormat.GGUF);
        assertThat(inv.files()).containsExactly(path);
        long dataOffset = want.getLong("data_offset", -1);
        JsonArray wantTensors = want.getArray("tensors").orElseThrow();
        assertThat(inv.tensors()).hasSize(wantTensors.size());
        long params = 0;
        for (int i = 0; i < wantTensors.size(); i++) {
            JsonObject wt = wantTensors.get(i).asObject(name);
            Tensor t = inv.tensors().get(i);
            assertThat(t.name()).isEqualTo(wt.getString("name", null));
            // Tensor.shape is logical (outermost first): reversed, it is gguf-py's ggml-order shape.
            assertThat(Shapes.fromGgmlOrder(t.shape()))
                    .containsExactly(longs(wt.getArray("shape").orElseThrow()));
            assertThat(t.offset()).isEqualTo(dataOffset + wt.getLong("offset", -1));
            assertThat(t.bytes()).isEqualTo(wt.getLong("n_bytes", -1));
            assertThat(t.file()).isEqualTo(path);
            params += wt.getLong("n_elements", -1);
        }
        assertThat(inv.parameters()).isEqualTo(params).isEqualTo(want.getLong("total_elements", -1));
        assertThat(inv.tensorBytes()).isEqualTo(want.getLong("tensor_data_bytes", -1));
    }

    @Test
    void splitModelReadsAsTheUnsplitModel() throws IOException {
        TensorInventory whole = new GgufReader().read(SharedFixtures.fixture("gguf/tiny-llama-Q8_0.gguf"));
        List<Path> parts = List.of(
                SharedFixtures.fixture("gguf/tiny-llama-Q8_0-split-00001-of-00003.gguf"),
                SharedFixtures.fixture("gguf/tiny-llama-Q8_0-split-00002-of-00003.gguf"),
                SharedFixtures.fixture("gguf/tiny-llama-Q8_0-split-00003-of-00003.gguf"));
        GgufFile part1 = GgufReader.readFile(parts.getFirst());
        for (Path named : parts) { // reading any part finds the others
            TensorInventory split = new GgufReader().read(named);
            assertThat(split.files()).containsExactlyElementsOf(parts);
            assertThat(split.tensors()).hasSize(30);
            assertThat(split.tensors())
                    .extracting(Tensor::name)
                    .containsExactlyInAnyOrderElementsOf(
                            whole.tensors().stream().map(Tensor::name).toList());
            for (Tensor t : split.tensors()) {
                Tensor w = whole.tensor(t.name()).orElseThrow();
                assertThat(t.shape()).as(t.name()).containsExactly(w.shape());
                assertThat(t.dtype()).as(t.name()).isEqualTo(w.dtype());
                assertThat(t.bytes()).as(t.name()).isEqualTo(w.bytes());
                assertThat(t.parameters()).as(t.name()).isEqualTo(w.parameters());
            }
            assertThat(split.parameters()).isEqualTo(whole.parameters());
            assertThat(split.tensorBytes()).isEqualTo(whole.tensorBytes());
            assertThat(split.metadata()).isEqualTo(part1.metadata());
            // Part 1 carries the whole model's metadata plus the split keys.
            whole.metadata()
                    .forEach((k, v) -> assertThat(split.metadata().get(k)).as(k).isEqualTo(v));
            assertThat(split.metadata())
                    .containsEntry("split.count", 3L)
                    .containsEntry("split.no", 0L)
                    .containsEntry("split.tensors.count", 30L);
        }
        // A relative path finds relative siblings: the files list and each tensor's file agree.
        Path relative = Path.of("").toAbsolutePath().relativize(parts.get(2));
        TensorInventory fromRelative = new GgufReader().read(relative);
        assertThat(fromRelative.files()).hasSize(3).contains(relative);
        assertThat(fromRelative.files().stream()
                        .map(Path::toAbsolutePath)
                        .map(Path::normalize)
                        .toList())
                .containsExactlyElementsOf(parts);
        assertThat(fromRelative.tensors())
                .allSatisfy(t -> assertThat(fromRelative.files()).contains(t.file()));
        // Each tensor lives in the part gguf-py found it in, at that part's absolute offset.
        TensorInventory split = new GgufReader().read(parts.get(1));
        for (Path part : parts) {
            JsonObject want = EXPECTED.getObject("files")
                    .orElseThrow()
                    .getObject(part.getFileName().toString())
                    .orElseThrow();
            long dataOffset = want.getLong("data_offset", -1);
            for (JsonValue v : want.getArray("tensors").orElseThrow().elements()) {
                JsonObject wt = v.asObject(part.toString());
                Tensor t = split.tensor(wt.getString("name", null)).orElseThrow();
                assertThat(t.file()).isEqualTo(part);
                assertThat(t.offset()).isEqualTo(dataOffset + wt.getLong("offset", -1));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("realFiles")
    void realVocabularyFilesMatchGgufPy(String name) throws IOException {
        JsonObject want = EXPECTED_REAL.getObject(name).orElseThrow();
        Path path = SharedFixtures.fixture("gguf-real/" + name);
        GgufFile got = GgufReader.readFile(path);
        assertThat(got.fileSize()).isEqualTo(want.getLong("file_size", -1));
        assertThat(got.kvCount()).isEqualTo(want.getLong("kv_count", -1));
        assertThat(got.tensorCount()).isEqualTo(want.getLong("tensor_count", -1));
        assertThat(got.metadata().get("general.architecture")).isEqualTo(want.getString("architecture", null));
        List<String> wantKeys = want.getArray("keys").orElseThrow().elements().stream()
                .map(v -> ((JsonString) v).value())
                .toList();
        assertThat(got.metadata().keySet()).containsExactlyInAnyOrderElementsOf(wantKeys);
        MetadataArray tokens = (MetadataArray) got.metadata().get("tokenizer.ggml.tokens");
        assertThat(tokens.elementType()).isEqualTo("STRING");
        assertThat(tokens.length()).isEqualTo(want.getLong("n_tokens", -1));
        assertThat(got.notes()).isEmpty(); // every string in these real files is valid UTF-8
        TensorInventory inv = new GgufReader().read(path);
        assertThat(inv.tensors()).isEmpty();
        assertThat(inv.metadata()).hasSize((int) want.getLong("kv_count", -1));
    }

    private static long[] longs(JsonArray a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((JsonNumber) a.get(i)).longValueExact("shape");
        }
        return out;
    }
}
