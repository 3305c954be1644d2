package dev.heft.core.model;

import dev.heft.core.arch.catalog.LlmCatalog;
import dev.heft.core.arch.vision.VisionCatalog;
import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.error.RemoteModelException;
import dev.heft.core.format.ConfigJson;
import dev.heft.core.format.Formats;
import dev.heft.core.format.ModelReader;
import dev.heft.core.format.safetensors.SafetensorsReader;
import dev.heft.core.format.tfjs.TfjsReader;
import dev.heft.core.hub.HubRef;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.model.ResolverSettings.Access;
import dev.heft.core.model.store.OllamaStore;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * What a MODEL argument is, decided once: the sniffing step of {@link ModelResolver}. A file is classified by its
 * magic bytes (or, for JSON, by its parsed content, which the candidate carries so nothing reads or parses it again);
 * everything else by its shape. Sniffing reads at most one file's first bytes or one JSON file, and never touches the
 * network.
 *
 * <p>Order: a scheme ({@code hf://}, {@code https://}, {@code ollama://}) decides outright; then an existing path; then a
 * catalog id; then a bare {@code OWNER/NAME}, taken as a Hub repo. What {@link Access} does not allow is refused here,
 * before anything is opened.
 */
public sealed interface ModelArgument {

    /** The argument as the user gave it. */
    String argument();

    /** A weight file whose magic bytes selected {@code reader}. */
    record WeightsFile(String argument, Path path, ModelReader reader) implements ModelArgument {}

    /** A sharded PyTorch checkpoint's index ({@code pytorch_model.bin.index.json}). */
    record TorchIndexFile(String argument, Path path) implements ModelArgument {}

    /** A TF.js model.json, already read. */
    record TfjsFile(String argument, Path path, byte[] bytes) implements ModelArgument {}

    /** A folder: the model in it is chosen from its file names ({@link ModelChoice}). */
    record Directory(String argument, Path path) implements ModelArgument {}

    /** A Hugging Face config.json (it has {@code model_type}), already parsed. */
    record ConfigFile(String argument, Path path, JsonObject config) implements ModelArgument {}

    /** A layer spec: JSON (already parsed) or YAML (read by the spec parser). */
    record LayerSpecFile(String argument, Path path, Optional<JsonValue> json) implements ModelArgument {}

    /** A Hugging Face Hub repo; {@code bare} when it was written {@code OWNER/NAME} without {@code hf://}. */
    record Hub(String argument, HubRef ref, boolean bare) implements ModelArgument {}

    /** An http(s) URL of a single weight file. */
    record WebFile(String argument, URI uri) implements ModelArgument {}

    /** A model in the Ollama store. */
    record Ollama(String argument, OllamaStore.Name name) implements ModelArgument {}

    /** A catalog model (the LLM catalog or a torchvision name). */
    record Catalog(String argument) implements ModelArgument {}

    /** The largest JSON a MODEL argument can be (a TF.js model.json); others have their own, smaller caps. */
    long MAX_JSON_BYTES = TfjsReader.MAX_MODEL_JSON_BYTES;

    static ModelArgument sniff(String argument, Access access) throws IOException {
        String lower = argument.toLowerCase(Locale.ROOT);
        if (lower.startsWith(HubRef.SCHEME)) {
            requireHub(argument, access);
            return new Hub(argument, HubRef.parse(argument), false);
        }
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            if (!access.urls()) {
                throw new RemoteModelException(
                        RemoteModelException.Reason.OFFLINE, "'" + argument + "': URLs are not " + "allowed here");
            }
            return new WebFile(argument, url(argument));
        }
        if (lower.startsWith(OllamaStore.SCHEME)) {
            requirePaths(argument, access);
            return new Ollama(argument, OllamaStore.Name.parse(argument));
        }
        if (access.paths()) {
            Path path = path(argument);
            if (path != null && Files.isDirectory(path)) {
                return new Directory(argument, path);
            }
            if (path != null && Files.isRegularFile(path)) {
                return file(argument, path);
            }
        }
        if (LlmCatalog.lookup(argument).isPresent()
                || VisionCatalog.find(argument).isPresent()) {
            return new Catalog(argument);
        }
        // A missing "models/x.gguf" is a mistyped path, not a repo: repo names do not end in a weight extension.
        if (access.hub()
                && HubRef.looksLikeRepoId(argument)
                && WeightFileKind.of(lower).isEmpty()
                && !lower.endsWith(".json")
                && !lower.endsWith(".yaml")
                && !lower.endsWith(".yml")) {
            return new Hub(argument, HubRef.parse(argument), true);
        }
        if (access.paths()
                && (argument.contains("/")
                        || argument.contains("\\")
                        || lower.endsWith(".json")
                        || WeightFileKind.of(lower).isPresent())) {
            throw new InvalidInputException("no such file or directory: " + argument);
        }
        return new Catalog(argument);
    }

    /** A regular file: JSON by content, anything else by its magic bytes. */
    private static ModelArgument file(String argument, Path path) throws IOException {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        WeightFileKind kind = WeightFileKind.of(name).orElse(null);
        // Indexes are read (once) by their readers, which also check them against the shards.
        if (kind == WeightFileKind.SAFETENSORS_INDEX) {
            return new WeightsFile(argument, path, new SafetensorsReader());
        }
        if (kind == WeightFileKind.PYTORCH_INDEX) {
            return new TorchIndexFile(argument, path);
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return new LayerSpecFile(argument, path, Optional.empty());
        }
        if (name.endsWith(".json") && kind != WeightFileKind.TFJS_MANIFEST) {
            long size = Files.size(path);
            if (size > MAX_JSON_BYTES) {
                throw new CorruptModelException(
                        path,
                        0,
                        "a JSON file of " + size + " bytes is larger than any model " + "description heft reads ("
                                + MAX_JSON_BYTES + " bytes)");
            }
            byte[] bytes = Files.readAllBytes(path);
            JsonValue root;
            try {
                root = Json.parse(bytes);
            } catch (JsonException e) {
                throw new CorruptModelException(path, 0, "not valid JSON: " + e.getMessage());
            }
            if (root instanceof JsonObject o) {
                if (o.has("weightsManifest")) {
                    return new TfjsFile(argument, path, bytes);
                }
                if (o.has("layers")) {
                    return new LayerSpecFile(argument, path, Optional.of(root));
                }
                if (o.has("model_type")) {
                    ConfigJson.checkSize(path, bytes.length);
                    return new ConfigFile(argument, path, o);
                }
            }
        }
        return new WeightsFile(argument, path, Formats.require(path));
    }

    private static Path path(String argument) {
        try {
            return Path.of(argument);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static URI url(String argument) {
        try {
            URI uri = new URI(argument);
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new InvalidInputException("'" + argument + "': a URL needs a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidInputException("'" + argument + "': not a valid URL (" + e.getReason() + ")");
        }
    }

    private static void requireHub(String argument, Access access) {
        if (!access.hub()) {
            throw new RemoteModelException(
                    RemoteModelException.Reason.OFFLINE,
                    "'" + argument + "': Hugging Face "
                            + "Hub repos are not allowed here"
                            + (access.paths()
                                    ? ""
                                    : " (the server reads them only when " + "started with --allow-hub)"));
        }
    }

    private static void requirePaths(String argument, Access access) {
        if (!access.paths()) {
            throw new InvalidInputException("'" + argument + "': local model stores are not allowed here");
        }
    }
}
