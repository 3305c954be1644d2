package dev.heft.core.model;

import dev.heft.core.arch.catalog.CatalogEntry;
import dev.heft.core.arch.catalog.LlmCatalog;
import dev.heft.core.arch.hf.HfArchitectures;
import dev.heft.core.arch.torch.LayerSpec;
import dev.heft.core.arch.vision.VisionCatalog;
import dev.heft.core.arch.vision.VisionModel;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.error.Suggestions;
import dev.heft.core.format.Formats;
import dev.heft.core.format.pytorch.PyTorchShards;
import dev.heft.core.format.quantized.QuantizedLayouts;
import dev.heft.core.format.safetensors.SafetensorsReader;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.tensor.TensorInventory;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a MODEL argument into a {@link ResolvedModel}. The one place that decides what an argument means:
 * <ol>
 *   <li>an existing file: read by the reader its magic bytes select;</li>
 *   <li>an existing directory: the weights it holds (a safetensors index or shards, a GGUF, a PyTorch/ONNX file),
 *       with its {@code config.json} attached;</li>
 *   <li>otherwise a catalog name.</li>
 * </ol>
 */
public final class ModelResolver {
    /** config.json files are small; a bigger one is not a config. */
    private static final long MAX_CONFIG_BYTES = 16L << 20;

    public ResolvedModel resolve(String argument) throws IOException {
        Path path = Path.of(argument);
        if (Files.isDirectory(path)) {
            Path config = path.resolve("config.json");
            if (!hasWeights(path) && Files.isRegularFile(config)) {
                return describe(argument, config);
            }
            return stored(argument, readDirectory(path));
        }
        if (Files.isRegularFile(path) && path.getFileName().toString().endsWith(".bin.index.json")) {
            return stored(argument, withConfig(PyTorchShards.read(path), path.toAbsolutePath().getParent()));
        }
        if (Files.isRegularFile(path) && isArchitectureJson(path)) {
            return describe(argument, path);
        }
        if (Files.isRegularFile(path) && isLayerSpec(path)) {
            return ResolvedModel.Network.of(argument, path.toString(), LayerSpec.parse(path));
        }
        if (Files.isRegularFile(path)) {
            TensorInventory inv = Formats.require(path).read(path);
            if (inv.config().isEmpty()) {
                Path sibling = path.toAbsolutePath().getParent().resolve("config.json");
                Optional<JsonValue.JsonObject> cfg = readConfig(sibling);
                if (cfg.isPresent()) {
                    inv = inv.withConfig(cfg.get());
                }
            }
            return stored(argument, inv);
        }
        if (argument.contains("/") || argument.contains("\\") || argument.endsWith(".json")
                || argument.endsWith(".gguf") || argument.endsWith(".safetensors")) {
            throw new InvalidInputException("no such file or directory: " + argument);
        }
        return catalog(argument);
    }

    /**
     * Stored weights, once their config.json is attached: packed quantized layouts (GPTQ, AWQ, bitsandbytes, ...) are
     * recognised here, so every command sees logical parameter counts.
     */
    private static ResolvedModel.Stored stored(String label, TensorInventory inv) {
        return new ResolvedModel.Stored(label, QuantizedLayouts.recognise(inv));
    }

    /**
     * A catalog model by id: the LLM catalog first, then torchvision names. The HTTP API resolves through this alone:
     * it never opens a path a request names.
     */
    public static ResolvedModel catalog(String argument) {
        Optional<CatalogEntry> entry = LlmCatalog.lookup(argument);
        if (entry.isPresent()) {
            return ResolvedModel.Described.of(entry.get().id(), entry.get().config(), entry.get().source());
        }
        Optional<VisionModel> vision = VisionCatalog.find(argument);
        if (vision.isPresent()) {
            return ResolvedModel.Network.of(vision.get());
        }
        List<String> ids = new ArrayList<>(LlmCatalog.ids());
        VisionCatalog.all().forEach(v -> ids.add(v.name()));
        throw new InvalidInputException("'" + argument + "' is not a file, a directory or a catalog model"
                + Suggestions.didYouMean(argument, ids) + "; 'heft catalog' lists the models");
    }

    private static ResolvedModel.Described describe(String label, Path config) throws IOException {
        JsonValue.JsonObject cfg = readConfig(config).orElseThrow(() -> new InvalidInputException(config
                + ": not a JSON object"));
        try {
            return ResolvedModel.Described.of(label, cfg, config.toString());
        } catch (InvalidInputException e) {
            throw new InvalidInputException(config + ": " + e.getMessage(), e);
        }
    }

    /** A JSON or YAML layer spec: a {@code "layers"} list of torch.nn modules. */
    private static boolean isLayerSpec(Path p) throws IOException {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".yaml") || n.endsWith(".yml")) {
            return true;
        }
        if (!n.endsWith(".json") || Files.size(p) > LayerSpec.MAX_SPEC_BYTES) {
            return false;
        }
        try {
            JsonValue v = Json.parse(Files.readAllBytes(p));
            return v instanceof JsonValue.JsonObject o && o.has("layers");
        } catch (JsonException e) {
            return false;
        }
    }

    /** A .json file that describes an architecture (has model_type) rather than indexing weights. */
    private static boolean isArchitectureJson(Path p) throws IOException {
        String n = p.getFileName().toString();
        if (!n.endsWith(".json") || n.endsWith(".index.json")) {
            return false;
        }
        Optional<JsonValue.JsonObject> cfg = readConfig(p);
        // A TF.js model.json carries a weightsManifest; it is weights, read by TfjsReader, never an HF config.
        return cfg.isPresent() && cfg.get().has("model_type") && !cfg.get().has("weightsManifest");
    }

    private static boolean hasSafetensors(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.safetensors*")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.endsWith(".safetensors") || n.endsWith(".safetensors.index.json")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasWeights(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.endsWith(".safetensors") || n.endsWith(".gguf") || n.endsWith(".onnx") || n.endsWith(".bin")
                        || n.endsWith(".pt") || n.endsWith(".pth") || n.endsWith(".safetensors.index.json")
                        || n.endsWith(".keras") || n.endsWith(".h5") || n.endsWith(".tflite")) {
                    return true;
                }
                if (n.equals("model.json") && dev.heft.core.format.tfjs.TfjsReader.isModelJson(p)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The weights in a directory, in the order a loader would choose them. */
    TensorInventory readDirectory(Path dir) throws IOException {
        if (hasSafetensors(dir)) {
            // The safetensors reader decides among model.safetensors, an index and loose shards as transformers does.
            return SafetensorsReader.readDirectory(dir);
        }
        Path torchIndex = dir.resolve(PyTorchShards.STANDARD_NAME);
        if (Files.isRegularFile(torchIndex)) {
            return withConfig(PyTorchShards.read(torchIndex), dir);
        }
        List<Path> candidates = new ArrayList<>();
        for (String preferred : List.of(
                "pytorch_model.bin", "model.onnx")) {
            Path p = dir.resolve(preferred);
            if (Files.isRegularFile(p)) {
                candidates.add(p);
            }
        }
        if (candidates.isEmpty()) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    if (Files.isRegularFile(p) && (n.endsWith(".safetensors") || n.endsWith(".gguf")
                            || n.endsWith(".onnx") || n.endsWith(".bin") || n.endsWith(".pt") || n.endsWith(".pth")
                            || n.endsWith(".keras") || n.endsWith(".h5") || n.endsWith(".tflite"))) {
                        candidates.add(p);
                    } else if (n.equals("model.json") && dev.heft.core.format.tfjs.TfjsReader.isModelJson(p)) {
                        // TF.js: the shards (*.bin) are read through the manifest, never on their own.
                        candidates.clear();
                        candidates.add(p);
                        break;
                    }
                }
            }
            candidates.sort(null);
        }
        if (candidates.isEmpty()) {
            throw new InvalidInputException(dir + ": no model weights found (looked for *.safetensors, "
                    + "model.safetensors.index.json, *.gguf, *.onnx, *.bin, *.pt)");
        }
        refuseSeveral(dir, candidates);
        Path first = candidates.getFirst();
        TensorInventory inv = Formats.require(first).read(first);
        if (inv.config().isEmpty()) {
            Optional<JsonValue.JsonObject> cfg = readConfig(dir.resolve("config.json"));
            if (cfg.isPresent()) {
                inv = inv.withConfig(cfg.get());
            }
        }
        return inv;
    }

    /** The later parts of a llama.cpp split ({@code -00002-of-00003.gguf}): read through the first part. */
    private static final Pattern LATER_SPLIT = Pattern.compile(
            ".*-(\\d{5})-of-\\d{5}\\.gguf");

    /**
     * A directory of several models (sixteen GGUF quantizations side by side) names no one model: list them and ask,
     * rather than pick one silently. The parts of one llama.cpp split count as one model (its first part).
     */
    private static void refuseSeveral(Path dir, List<Path> candidates) {
        List<String> models = new ArrayList<>();
        for (Path p : candidates) {
            Matcher m = LATER_SPLIT.matcher(p.getFileName().toString());
            if (!m.matches() || Integer.parseInt(m.group(1)) == 1) {
                models.add(p.getFileName().toString());
            }
        }
        if (models.size() > 1) {
            int shown = Math.min(models.size(), 20);
            throw new InvalidInputException(dir + " holds " + models.size() + " models (" + String.join(", ",
                    models.subList(0, shown)) + (models.size() > shown ? ", ..." : "") + "); name the file of the "
                    + "one you mean");
        }
    }

    private static TensorInventory withConfig(TensorInventory inv, Path dir) throws IOException {
        if (inv.config().isPresent() || dir == null) {
            return inv;
        }
        Optional<JsonValue.JsonObject> cfg = readConfig(dir.resolve("config.json"));
        return cfg.isPresent() ? inv.withConfig(cfg.get()) : inv;
    }

    /** A config.json beside the weights, if there is a readable one; a broken one is reported, not ignored. */
    public static Optional<JsonValue.JsonObject> readConfig(Path p) throws IOException {
        if (!Files.isRegularFile(p) || Files.size(p) > MAX_CONFIG_BYTES) {
            return Optional.empty();
        }
        try {
            JsonValue v = Json.parse(Files.readAllBytes(p));
            return v instanceof JsonValue.JsonObject o ? Optional.of(o) : Optional.empty();
        } catch (JsonException e) {
            throw new InvalidInputException(p + ": not valid JSON: " + e.getMessage(), e);
        }
    }
}
