package dev.heft.core.format;

import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.io.FileHead;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The registry of file readers and the one place that decides, by magic bytes, which reader a file needs.
 * Extensions are never trusted: a {@code .bin} may be a PyTorch zip, a legacy pickle or raw data.
 */
public final class Formats {
    private Formats() {}

    /** Readers in the order they are asked; more specific recognisers first. */
    public static List<ModelReader> readers() {
        return List.of(
                new dev.heft.core.format.gguf.GgufReader(),
                new dev.heft.core.format.safetensors.SafetensorsReader(),
                new dev.heft.core.format.tflite.TfliteReader(),
                // Before the PyTorch zip reader: a .keras zip is recognised by its model.weights.h5 entry.
                new dev.heft.core.format.keras.KerasReader(),
                new dev.heft.core.format.pytorch.PyTorchLegacyReader(),
                new dev.heft.core.format.pytorch.TorchScriptReader(),
                new dev.heft.core.format.pytorch.PyTorchZipReader(),
                // TF.js model.json: recognised by content (a JSON object with weightsManifest).
                new dev.heft.core.format.tfjs.TfjsReader(),
                // Protobuf has no magic number: ONNX is recognised by trial parse, so it is asked last.
                new dev.heft.core.format.onnx.OnnxReader());
    }

    public static Optional<ModelReader> detect(Path file) throws IOException {
        byte[] head = head(file);
        for (ModelReader r : readers()) {
            if (r.recognises(head, file)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The reader for {@code file}, or an error naming what the first bytes were. */
    public static ModelReader require(Path file) throws IOException {
        return detect(file)
                .orElseThrow(() -> new UnsupportedModelException(
                        file,
                        0L,
                        "not a model file heft recognises (first bytes: " + describe(headSafe(file)) + "); heft reads "
                                + "safetensors, GGUF, ONNX, PyTorch, Keras, TFLite and TF.js files"));
    }

    public static byte[] head(Path file) throws IOException {
        return FileHead.read(file);
    }

    private static byte[] headSafe(Path file) {
        try {
            return head(file);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static String describe(byte[] head) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, head.length); i++) {
            sb.append(String.format("%02x", head[i]));
            if (i < 7) {
                sb.append(' ');
            }
        }
        return head.length == 0 ? "empty file" : sb.toString().trim();
    }
}
