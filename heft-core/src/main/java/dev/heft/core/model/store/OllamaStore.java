package dev.heft.core.model.store;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.format.io.ModelFolder;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonException;
import dev.heft.core.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Ollama's model store ({@code $OLLAMA_MODELS}, default {@code ~/.ollama/models}), as ollama's {@code server/images.go}
 * and {@code types/model/name.go} lay it out: a manifest per model at {@code manifests/HOST/NAMESPACE/MODEL/TAG} (an OCI
 * image manifest: {@code layers} of {@code {mediaType, digest, size}}), and content-addressed blobs at
 * {@code blobs/sha256-<hex>}. The weights are the layer of media type {@value #MODEL}, a GGUF file; a vision model
 * adds a {@value #PROJECTOR} layer, a fine-tune {@value #ADAPTER} layers.
 */
public final class OllamaStore {
    public static final String SCHEME = "ollama://";
    public static final String MODEL = "application/vnd.ollama.image.model";
    public static final String PROJECTOR = "application/vnd.ollama.image.projector";
    public static final String ADAPTER = "application/vnd.ollama.image.adapter";
    static final String DEFAULT_HOST = "registry.ollama.ai";
    static final String DEFAULT_NAMESPACE = "library";
    static final String DEFAULT_TAG = "latest";
    /** Manifests are a few hundred bytes; this bounds a hostile one. */
    static final long MAX_MANIFEST_BYTES = 1 << 20;

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,79}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256[:-]([0-9a-f]{64})");

    private OllamaStore() {}

    /** A model name: {@code [HOST/][NAMESPACE/]MODEL[:TAG]}. */
    public record Name(String host, String namespace, String model, String tag) {
        /** Parses {@code ollama://NAME[:TAG]} or the bare name. */
        public static Name parse(String argument) {
            String s = argument.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                    ? argument.substring(SCHEME.length())
                    : argument;
            String tag = DEFAULT_TAG;
            int colon = s.lastIndexOf(':');
            if (colon > s.lastIndexOf('/')) {
                tag = s.substring(colon + 1);
                s = s.substring(0, colon);
            }
            String[] parts = s.split("/", -1);
            if (parts.length > 3 || !TAG.matcher(tag).matches()) {
                throw bad(argument);
            }
            for (String p : parts) {
                if (!PART.matcher(p).matches() || p.contains("..")) {
                    throw bad(argument);
                }
            }
            return switch (parts.length) {
                case 1 -> new Name(DEFAULT_HOST, DEFAULT_NAMESPACE, parts[0], tag);
                case 2 -> new Name(DEFAULT_HOST, parts[0], parts[1], tag);
                default -> new Name(parts[0], parts[1], parts[2], tag);
            };
        }

        /** How {@code ollama list} shows it: {@code llama3.2:1b}, {@code user/model:tag}, {@code hf.co/o/n:tag}. */
        public String display() {
            String base = host.equals(DEFAULT_HOST)
                    ? (namespace.equals(DEFAULT_NAMESPACE) ? model : namespace + "/" + model)
                    : host + "/" + namespace + "/" + model;
            return base + ":" + tag;
        }

        public String modelString() {
            return SCHEME + display();
        }

        Path manifest(Path store) {
            return store.resolve("manifests")
                    .resolve(host)
                    .resolve(namespace)
                    .resolve(model)
                    .resolve(tag);
        }

        private static InvalidInputException bad(String argument) {
            return new InvalidInputException("'" + argument + "': expected ollama://NAME[:TAG] (NAME may be "
                    + "NAMESPACE/NAME; letters, digits, '.', '_' and '-')");
        }
    }

    /** One layer of a manifest. */
    public record Layer(String mediaType, String digest, long size, Path blob) {}

    /** A model's manifest: its weights, and the projector and adapters when it has them. */
    public record Manifest(Name name, Path file, Layer model, Optional<Layer> projector, List<Layer> adapters) {
        public Manifest {
            adapters = List.copyOf(adapters);
        }
    }

    /** Reads {@code name}'s manifest from {@code store}. */
    public static Manifest read(Path store, Name name) throws IOException {
        Path file = name.manifest(store);
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(name.modelString() + ": no such model in the Ollama store " + store
                    + " (no manifest " + store.relativize(file) + "; 'ollama pull " + name.display()
                    + "' fetches it, OLLAMA_MODELS names another store)");
        }
        // A manifest linked from outside the store is not the store's: its content (and any error quoting it) is not
        // ollama's to give. Blobs get the same rule in blob().
        ModelFolder.requireInside(file, "manifest", store.resolve("manifests"), file);
        JsonValue root;
        try {
            root = Json.parse(readBounded(file));
        } catch (JsonException e) {
            throw new CorruptModelException(file, 0, "Ollama manifest is not valid JSON: " + e.getMessage());
        }
        if (!(root instanceof JsonValue.JsonObject o) || o.getArray("layers").isEmpty()) {
            throw new CorruptModelException(file, "layers", "an Ollama manifest is an object with a layers list");
        }
        Layer model = null;
        Layer projector = null;
        List<Layer> adapters = new ArrayList<>();
        for (JsonValue v : o.getArray("layers").get().elements()) {
            if (!(v instanceof JsonValue.JsonObject l)) {
                throw new CorruptModelException(file, "layers", "a layer must be an object");
            }
            String type = l.getString("mediaType", "");
            if (!type.equals(MODEL) && !type.equals(PROJECTOR) && !type.equals(ADAPTER)) {
                continue;
            }
            Layer layer = new Layer(
                    type,
                    l.getString("digest", ""),
                    l.getLong("size", -1),
                    blob(store, file, l.getString("digest", "")));
            switch (type) {
                case MODEL -> {
                    if (model != null) {
                        throw new CorruptModelException(file, "layers", "two model layers; heft reads one");
                    }
                    model = layer;
                }
                case PROJECTOR -> projector = layer;
                default -> adapters.add(layer);
            }
        }
        if (model == null) {
            throw new CorruptModelException(file, "layers", "no layer of media type " + MODEL + " (the weights)");
        }
        return new Manifest(name, file, model, Optional.ofNullable(projector), adapters);
    }

    /** The sizes of every layer of a manifest (for bytes on disk), whatever their media type. */
    public static long allLayerBytes(Path manifest) throws IOException {
        try {
            JsonValue root = Json.parse(readBounded(manifest));
            long total = 0;
            if (root instanceof JsonValue.JsonObject o && o.getArray("layers").isPresent()) {
                for (JsonValue v : o.getArray("layers").get().elements()) {
                    if (v instanceof JsonValue.JsonObject l) {
                        // Sizes are the manifest's word: two of 2^62 must not wrap to a small total.
                        total = Math.addExact(total, Math.max(0, l.getLong("size", 0)));
                    }
                }
            }
            return total;
        } catch (JsonException | CorruptModelException | ArithmeticException e) {
            return -1;
        }
    }

    /**
     * The manifest's bytes, at most {@link #MAX_MANIFEST_BYTES}: read up to one byte past the cap, so a file that
     * grows after it was sized (or a device that never ends) cannot make heft read or allocate more.
     */
    private static byte[] readBounded(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) MAX_MANIFEST_BYTES + 1);
        }
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw new CorruptModelException(
                    file,
                    0,
                    "Ollama manifest is larger than the " + MAX_MANIFEST_BYTES + "-byte limit heft reads (a "
                            + "manifest is a few hundred bytes)");
        }
        return bytes;
    }

    /** Every model in the store, by its manifest. */
    public static List<Name> list(Path store) throws IOException {
        Path manifests = store.resolve("manifests");
        List<Name> out = new ArrayList<>();
        if (!Files.isDirectory(manifests)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(manifests, 4)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                Path rel = manifests.relativize(p);
                if (rel.getNameCount() != 4) {
                    continue;
                }
                try {
                    out.add(Name.parse(
                            rel.getName(0) + "/" + rel.getName(1) + "/" + rel.getName(2) + ":" + rel.getName(3)));
                } catch (InvalidInputException e) {
                    // a file that is not a manifest of a well-formed name: not a model
                }
            }
        }
        return out;
    }

    /** A digest's blob file; the digest is checked before it becomes part of a path. */
    private static Path blob(Path store, Path manifest, String digest) {
        var m = DIGEST.matcher(digest);
        if (!m.matches()) {
            throw new CorruptModelException(
                    manifest,
                    "layers",
                    "layer digest '" + digest.replaceAll("\\p{Cntrl}", "?") + "' is not sha256:<64 hex digits>");
        }
        Path blobs = store.resolve("blobs");
        Path dash = blobs.resolve("sha256-" + m.group(1));
        Path chosen;
        try {
            // Ollama before 0.1.34 named blobs with a colon (a name Windows cannot even form).
            Path colon = blobs.resolve("sha256:" + m.group(1));
            chosen = Files.exists(dash) || !Files.exists(colon) ? dash : colon;
        } catch (java.nio.file.InvalidPathException e) {
            chosen = dash;
        }
        // A blob is content-addressed inside the store: one that is a link out of the blobs folder (to /dev/zero, to
        // another user's file) is refused before anything opens it.
        ModelFolder.requireInside(manifest, "layers", blobs, chosen);
        return chosen;
    }
}
