package dev.heft.core.format.tflite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.ModelFormatException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.Formats;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MediaPipe-style bundles of TFLite models converted by TensorFlow ({@code scripts/fixtures/mediapipe_task.py});
 * expected numbers are Keras' {@code count_params()} and the buffer lengths TensorFlow's own flatbuffer reader finds
 * (expected.json), never heft's.
 */
class TfliteBundleFixtureTest {
    private static final Path DIR = Path.of("src/test/resources/fixtures/mediapipe");

    @TempDir
    Path temp;

    private static JsonObject expected() throws IOException {
        return Json.parse(Files.readAllBytes(DIR.resolve("expected.json"))).asObject("expected.json");
    }

    private static TensorInventory read(Path p) throws IOException {
        return Formats.require(p).read(p);
    }

    /** Each component's own tensors (name prefix), then the whole: the libraries' counts, model by model. */
    @Test
    void everyModelInEveryBundleIsCountedAndListed() throws IOException {
        JsonObject e = expected();
        JsonObject models = e.getObject("models").orElseThrow();
        JsonObject bundles = e.getObject("bundles").orElseThrow();
        for (String file : bundles.members().keySet()) {
            Path p = DIR.resolve(file);
            assertThat(Formats.require(p)).as(file).isInstanceOf(TfliteReader.class);
            TensorInventory inv = read(p);
            assertThat(inv.format()).isEqualTo(ModelFormat.TFLITE);
            List<String> components = ((JsonValue.JsonArray) bundles.members().get(file))
                    .elements().stream()
                            .map(v -> ((JsonValue.JsonString) v).value())
                            .toList();
            long parameters = 0, bytes = 0;
            for (String component : components) {
                String model = component.substring(component.lastIndexOf('/') + 1);
                JsonObject truth = models.getObject(model.equals(file) ? "hand_detector.tflite" : model)
                        .orElseThrow();
                // the outer model of a packed-assets file keeps its own tensor names; entries get their path
                List<Tensor> own = inv.tensors().stream()
                        .filter(t -> component.equals(file)
                                ? !t.name().contains(".tflite/")
                                : t.name().startsWith(component + "/"))
                        .toList();
                assertThat(own.stream().mapToLong(Tensor::parameters).sum())
                        .as(file + " " + component)
                        .isEqualTo(truth.getLong("keras_parameters", -1));
                assertThat(own.stream().mapToLong(Tensor::bytes).sum())
                        .as(file + " " + component)
                        .isEqualTo(truth.getLong("buffer_bytes", -1));
                parameters += truth.getLong("keras_parameters", -1);
                bytes += truth.getLong("buffer_bytes", -1);
            }
            assertThat(inv.parameters()).as(file).isEqualTo(parameters);
            assertThat(inv.tensorBytes()).as(file).isEqualTo(bytes);
            @SuppressWarnings("unchecked")
            List<Object> listed = (List<Object>) inv.metadata().get(TfliteBundle.COMPONENTS);
            assertThat(listed).as(file).hasSize(components.size());
            for (int i = 0; i < components.size(); i++) {
                assertThat((String) listed.get(i)).startsWith(components.get(i) + ": ");
            }
            // every tensor's offset is absolute in the bundle: it lies inside the file
            long size = Files.size(p);
            assertThat(inv.tensors()).allMatch(t -> t.offset() >= 0 && t.offset() + t.bytes() <= size);
        }
        assertThat(read(DIR.resolve("detector_with_assets.tflite")).notes())
                .anyMatch(n -> n.contains("labels.txt (12 bytes)"));
    }

    /** The tensors' bytes at their offsets are the inner models' buffers: compare with the inner file read alone. */
    @Test
    void offsetsPointAtTheInnerModelsBytes() throws IOException {
        Path bundle = DIR.resolve("hand_landmarker.task");
        byte[] all = Files.readAllBytes(bundle);
        Path inner = temp.resolve("hand_detector.tflite");
        try (var zip = new java.util.zip.ZipFile(bundle.toFile())) {
            Files.write(
                    inner,
                    zip.getInputStream(zip.getEntry("hand_detector.tflite")).readAllBytes());
        }
        byte[] alone = Files.readAllBytes(inner);
        TensorInventory single = read(inner);
        TensorInventory inv = read(bundle);
        for (Tensor t : single.tensors()) {
            Tensor in = inv.tensor("hand_detector.tflite/" + t.name()).orElseThrow();
            assertThat(java.util.Arrays.copyOfRange(all, (int) in.offset(), (int) (in.offset() + in.bytes())))
                    .isEqualTo(java.util.Arrays.copyOfRange(alone, (int) t.offset(), (int) (t.offset() + t.bytes())));
        }
    }

    @Test
    void compressedNestedAndEmptyBundlesAreTypedOneLineErrors() throws IOException {
        byte[] model;
        try (var zip =
                new java.util.zip.ZipFile(DIR.resolve("hand_landmarker.task").toFile())) {
            model = zip.getInputStream(zip.getEntry("hand_detector.tflite")).readAllBytes();
        }
        Path deflated = Files.write(temp.resolve("deflated.task"), zip("m.tflite", model, ZipEntry.DEFLATED));
        assertThatThrownBy(() -> read(deflated))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("m.tflite")
                .hasMessageContaining("uncompressed");
        // a bundle nested deeper than MAX_DEPTH
        byte[] nested = zip("m.tflite", model, ZipEntry.STORED);
        for (int i = 0; i < TfliteBundle.MAX_DEPTH; i++) {
            nested = zip("b" + i + ".task", nested, ZipEntry.STORED);
        }
        Path deep = Files.write(temp.resolve("deep.task"), nested);
        assertThatThrownBy(() -> read(deep))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("nested");
        // a truncated model entry: the inner flatbuffer's own checks, naming the bundle
        Path cut = Files.write(
                temp.resolve("cut.task"),
                zip("m.tflite", java.util.Arrays.copyOf(model, model.length / 2), ZipEntry.STORED));
        assertThatThrownBy(() -> read(cut))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("cut.task")
                .hasMessageNotContaining("\n");
        // a zip without models is not a bundle
        Path plain = Files.write(temp.resolve("plain.zip"), zip("labels.txt", new byte[] {'a'}, ZipEntry.STORED));
        assertThat(new TfliteReader().recognises(Formats.head(plain), plain)).isFalse();
    }

    static byte[] zip(String name, byte[] data, int method) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            ZipEntry e = new ZipEntry(name);
            e.setMethod(method);
            if (method == ZipEntry.STORED) {
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(data);
                e.setSize(data.length);
                e.setCompressedSize(data.length);
                e.setCrc(crc.getValue());
            }
            z.putNextEntry(e);
            z.write(data);
            z.closeEntry();
        }
        return out.toByteArray();
    }
}
