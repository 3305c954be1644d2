package dev.heft.core.model;

import dev.heft.core.format.pytorch.PyTorchShards;
import dev.heft.core.format.safetensors.ShardIndex;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one list of file kinds that hold a model's weights, by name, for choosing among the files of a folder, a Hub
 * repo or a model store. Names only pick candidates; the file's own bytes still decide how it is read (a {@code .bin}
 * may be a PyTorch zip, a legacy pickle, or a TF.js shard). Order matters: longer suffixes first, so an index is never
 * taken for a plain file of its format.
 */
public enum WeightFileKind {
    SAFETENSORS_INDEX("safetensors index", true, ShardIndex.SUFFIX),
    SAFETENSORS("safetensors", true, ".safetensors"),
    GGUF("GGUF", true, ".gguf"),
    PYTORCH_INDEX("PyTorch index", true, ".bin.index.json"),
    PYTORCH("PyTorch", true, ".bin", ".pt", ".pth"),
    ONNX("ONNX", false, ".onnx"),
    KERAS("Keras", false, ".keras", ".h5"),
    /** A TFLite flatbuffer, or a MediaPipe {@code .task} bundle (a zip of TFLite models) the TFLite reader opens. */
    TFLITE("TFLite", false, ".tflite", ".task"),
    /** A TF.js {@code model.json} (topology and weights manifest), by name; its content is checked where it can be. */
    TFJS_MODEL("TF.js model", false, "model.json"),
    /** A bare TF.js weights manifest ({@code tf.io.loadWeights}): {@code weights_manifest.json}, {@code x-weights_manifest.json}. */
    TFJS_MANIFEST("TF.js weights manifest", false, "weights_manifest.json");

    private final String displayName;
    private final boolean readsRemotely;
    private final List<String> suffixes;

    WeightFileKind(String displayName, boolean readsRemotely, String... suffixes) {
        this.displayName = displayName;
        this.readsRemotely = readsRemotely;
        this.suffixes = List.of(suffixes);
    }

    public String displayName() {
        return displayName;
    }

    /**
     * Whether heft reads this kind over HTTP without its tensor data: safetensors (8-byte length, then the header), GGUF
     * (header and tensor infos at the front) and zip-format PyTorch checkpoints (the zip's end, then data.pkl; a legacy
     * pre-1.6 file among them is refused by its bytes). The others need a whole protobuf or HDF5 B-trees, which is a
     * download, not a header read.
     */
    public boolean readsRemotely() {
        return readsRemotely;
    }

    /** The kind a file name says, if any (the name's last path component, case-insensitive). */
    public static Optional<WeightFileKind> of(String name) {
        String n = baseName(name).toLowerCase(Locale.ROOT);
        for (WeightFileKind k : values()) {
            for (String suffix : k.suffixes) {
                boolean matches = k == TFJS_MODEL ? n.equals(suffix) : n.endsWith(suffix);
                if (matches) {
                    return Optional.of(k);
                }
            }
        }
        return Optional.empty();
    }

    /** What a user is told heft looked for ({@code *.safetensors, *.gguf, ...}). */
    public static String lookedFor() {
        StringBuilder sb = new StringBuilder();
        for (WeightFileKind k : values()) {
            for (String suffix : k.suffixes) {
                if (!sb.isEmpty()) {
                    sb.append(", ");
                }
                sb.append(k == TFJS_MODEL ? suffix : "*" + suffix);
            }
        }
        return sb.toString();
    }

    /** The standard names transformers writes for a sharded PyTorch checkpoint's index. */
    static final String PYTORCH_INDEX_NAME = PyTorchShards.STANDARD_NAME;

    static String baseName(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(slash + 1);
    }
}
