package dev.heft.core.format.keras;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.HeftException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.ModelReader;
import dev.heft.core.format.io.MappedFile;
import dev.heft.core.format.zip.ZipDirectory;
import dev.heft.core.format.zip.ZipEntry;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.tensor.InventoryLimits;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Keras models, header only: a Keras 3 {@code .keras} archive (zip of {@code config.json},
 * {@code metadata.json} and {@code model.weights.h5}), a Keras 3 {@code .weights.h5}, or a legacy (Keras 2 /
 * tf.keras) {@code .h5} model or weights file. HDF5 is read with jhdf; only object headers are touched (dataset
 * dtype and dataspace give each variable's bytes), never data.
 *
 * <p>The {@code .keras} archive: when {@code model.weights.h5} is STORED (Keras 3's
 * {@code saving_lib._save_model_to_fileobj} opens {@code zipfile.ZipFile(fileobj, "w")}, whose default is ZIP_STORED)
 * it is read in place through a {@link WindowChannel} and tensor offsets are absolute in the archive;
 * when DEFLATED it is inflated on demand through an {@link InflatingChannel} (never to disk: no temporary file to
 * fill or to leave behind when a run is killed), offsets are then -1 and a note says so.
 *
 * <p>Parameters follow {@code model.summary()}: trainable and non-trainable (BatchNorm moving statistics) variables
 * are both {@link TensorRole#WEIGHT}; the split is in metadata ({@value #TRAINABLE}, {@value #NON_TRAINABLE}) and a
 * note. See {@link VariableKind} for the other roles.
 */
public final class KerasReader implements ModelReader {
    public static final String TRAINABLE = "keras.trainable_params";
    public static final String NON_TRAINABLE = "keras.non_trainable_params";
    static final String WEIGHTS_ENTRY = "model.weights.h5";
    /** HDF5 superblock signature (HDF5 File Format Specification, section II.A "Format Signature"). */
    static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    static final long MAX_JSON_BYTES = 16L << 20;

    @Override
    public ModelFormat format() {
        return ModelFormat.KERAS;
    }

    @Override
    public boolean recognises(byte[] head, Path path) throws IOException {
        if (startsWith(head, HDF5_SIGNATURE)) {
            return true;
        }
        if (!ZipDirectory.looksLikeZip(head)) {
            return false;
        }
        try (MappedFile mapped = MappedFile.open(path)) {
            return ZipDirectory.read(mapped.segment(), path)
                    .entry(WEIGHTS_ENTRY)
                    .isPresent();
        } catch (HeftException e) {
            return false;
        }
    }

    @Override
    public TensorInventory read(Path path) throws IOException {
        byte[] head = dev.heft.core.format.io.FileHead.read(path);
        if (startsWith(head, HDF5_SIGNATURE)) {
            return readH5(path);
        }
        if (ZipDirectory.looksLikeZip(head)) {
            return readKeras(path);
        }
        throw new UnsupportedModelException(
                path, 0, "neither a .keras zip nor an HDF5 file (no PK\\3\\4 or " + "\\x89HDF signature at byte 0)");
    }

    /** A {@code .keras} archive. */
    public static TensorInventory readKeras(Path path) throws IOException {
        try (MappedFile mapped = MappedFile.open(path)) {
            ZipDirectory zip = ZipDirectory.read(mapped.segment(), path);
            if (zip.entry(WEIGHTS_ENTRY).isEmpty()
                    && zip.entry("model.weights.npz").isPresent()) {
                // saving_lib's weights_format="npz" alternative
                throw new UnsupportedModelException(
                        path,
                        "model.weights.npz",
                        "this .keras archive stores its " + "weights as npz; heft reads the default model.weights.h5");
            }
            ZipEntry weights = zip.entry(WEIGHTS_ENTRY)
                    .orElseThrow(() -> new CorruptModelException(
                            path,
                            WEIGHTS_ENTRY,
                            "a .keras archive holds its weights in model.weights.h5; this one has none"));
            KerasLayers layers = KerasLayers.NONE;
            Map<String, Object> metadata = new LinkedHashMap<>();
            Optional<ZipEntry> config = zip.entry("config.json");
            if (config.isPresent()) {
                JsonObject cfg = json(
                        path,
                        "config.json",
                        ZipEntries.readSmall(mapped.segment(), path, config.get(), MAX_JSON_BYTES));
                layers = KerasLayers.of(cfg);
            }
            Optional<ZipEntry> meta = zip.entry("metadata.json");
            if (meta.isPresent()) {
                JsonObject m = json(
                        path,
                        "metadata.json",
                        ZipEntries.readSmall(mapped.segment(), path, meta.get(), MAX_JSON_BYTES));
                for (String key : List.of("keras_version", "date_saved")) {
                    if (m.members().get(key) instanceof JsonValue.JsonString s) {
                        metadata.put("keras." + key, s.value());
                    }
                }
            }
            List<String> notes = new ArrayList<>();
            if (weights.isStored()) { // the shared ZipDirectory has checked compressed == uncompressed size
                FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
                WindowChannel window = new WindowChannel(channel, weights.dataOffset(), weights.uncompressedSize());
                try (HdfFile hdf = open(path, () -> new HdfFile(window, path.toUri()))) {
                    return inventory(ModelFormat.KERAS, path, hdf, weights.dataOffset(), layers, metadata, notes, true);
                } finally {
                    channel.close();
                }
            }
            if (weights.method() != ZipEntry.DEFLATED) {
                throw new UnsupportedModelException(
                        path,
                        weights.dataOffset(),
                        weights.name(),
                        "zip compression " + "method " + weights.method() + "; heft reads STORED (0) and DEFLATED (8)");
            }
            notes.add(WEIGHTS_ENTRY + " is DEFLATED in the archive; heft inflated the parts of it (of "
                    + weights.uncompressedSize() + " bytes) that hold its headers, so tensor offsets are not given");
            InflatingChannel inflating = new InflatingChannel(
                    mapped.segment().asSlice(weights.dataOffset(), weights.compressedSize()),
                    weights.uncompressedSize(),
                    path,
                    WEIGHTS_ENTRY);
            try (HdfFile hdf = open(path, () -> new HdfFile(inflating, path.toUri()))) {
                return inventory(ModelFormat.KERAS, path, hdf, -1, layers, metadata, notes, true);
            } finally {
                inflating.close();
            }
        }
    }

    /** A Keras 3 {@code .weights.h5} or a legacy Keras 2 {@code .h5} model or weights file. */
    public static TensorInventory readH5(Path path) throws IOException {
        try (HdfFile hdf = open(path, () -> new HdfFile(path))) {
            return readH5(path, hdf);
        }
    }

    /** An HDF5 file held in memory, {@code label} naming it in errors (the fuzz target reads this way). */
    static TensorInventory readH5(byte[] bytes, Path label) throws IOException {
        try (HdfFile hdf = open(label, () -> HdfFile.fromBytes(bytes))) {
            return readH5(label, hdf);
        }
    }

    private static TensorInventory readH5(Path path, HdfFile hdf) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        KerasLayers layers = KerasLayers.NONE;
        String modelConfig = stringAttribute(path, hdf, "model_config");
        if (modelConfig != null) {
            layers = KerasLayers.of(
                    json(path, "model_config", modelConfig.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        for (String key : List.of("keras_version", "backend")) {
            String v = stringAttribute(path, hdf, key);
            if (v != null) {
                metadata.put("keras." + key, v);
            }
        }
        // Keras 3 (H5IOStore) writes layers/<name>/vars/<i>; Keras 2 writes model_weights/ or layer groups.
        boolean keras3 = guard(
                path,
                () -> hdf.getChildren().containsKey("layers")
                        || hdf.getChildren().containsKey("vars"));
        return inventory(ModelFormat.HDF5, path, hdf, 0, layers, metadata, new ArrayList<>(), keras3);
    }

    private static TensorInventory inventory(
            ModelFormat format,
            Path path,
            HdfFile hdf,
            long base,
            KerasLayers layers,
            Map<String, Object> metadata,
            List<String> notes,
            boolean keras3) {
        // Superblock "End of File Address" (HDF5 spec II.A): the first byte past all HDF5 data, relative to the
        // base address. The HDF5 library refuses a shorter file as truncated; so does heft, before walking it.
        long endOfFile =
                guard(path, () -> hdf.getHdfBackingStorage().getSuperblock().getEndOfFileAddress());
        // Unsigned in the file: an address at or above 2^63 is as past the end as any other.
        boolean fits = endOfFile >= 0 && endOfFile <= hdf.size() - hdf.getUserBlockSize();
        long declaredEnd = fits ? endOfFile + hdf.getUserBlockSize() : endOfFile;
        CorruptModelException.verify(
                fits,
                path,
                Math.max(0, base),
                "truncated HDF5 file: "
                        + "the superblock's end-of-file address is " + Long.toUnsignedString(declaredEnd) + " but only "
                        + hdf.size()
                        + " bytes are present");
        H5Walker.Listing listing = guard(path, () -> H5Walker.list(hdf, path));
        Map<H5Variable, VariableKind> kinds = keras3
                ? VariableKind.keras3(listing.variables(), layers)
                : VariableKind.legacy(listing.variables(), layers);
        long fileSize = hdf.size();
        List<Tensor> tensors = new ArrayList<>();
        long trainable = 0, nonTrainable = 0;
        int optimizer = 0, rng = 0;
        List<VariableKind> tensorKinds = new ArrayList<>();
        for (H5Variable v : listing.variables()) {
            long offset = -1;
            if (base >= 0 && v.address() >= 0) {
                // HDF5 addresses are relative to the base address (the superblock, after any user block).
                CorruptModelException.verify(
                        v.address() <= fileSize - hdf.getUserBlockSize(),
                        path,
                        base,
                        v.path() + ": data address " + v.address() + " lies past the end of the HDF5 file (" + fileSize
                                + " bytes)");
                long rel = v.address() + hdf.getUserBlockSize();
                CorruptModelException.verify(
                        rel <= fileSize - v.bytes(),
                        path,
                        base + rel,
                        v.path() + ": "
                                + v.bytes() + " bytes of data at " + rel + " run past the end of the HDF5 file ("
                                + fileSize + " bytes)");
                offset = base + rel;
            }
            VariableKind kind = kinds.get(v);
            TensorRole role = switch (kind) {
                case TRAINABLE, NON_TRAINABLE -> TensorRole.WEIGHT;
                case OPTIMIZER -> TensorRole.OPTIMIZER_STATE;
                case RNG_STATE -> TensorRole.BUFFER;
            };
            Tensor t = Tensor.weight(v.path(), v.shape(), v.dtype(), offset, v.bytes(), path);
            tensors.add(role == TensorRole.WEIGHT ? t : t.withRole(role));
            tensorKinds.add(kind);
        }
        // Before summing: a dataset whose storage was never allocated (h5py's chunked datasets created but not
        // written) declares its shape without bytes, so only the shared limits bound these totals.
        InventoryLimits.check(List.of(path), tensors);
        for (int i = 0; i < tensors.size(); i++) {
            switch (tensorKinds.get(i)) {
                case TRAINABLE -> trainable += tensors.get(i).elements();
                case NON_TRAINABLE -> nonTrainable += tensors.get(i).elements();
                case OPTIMIZER -> optimizer++;
                case RNG_STATE -> rng++;
            }
        }
        Map<String, String> aliases = KerasAliases.of(tensors, layers, keras3);
        if (!aliases.isEmpty()) {
            metadata.put(TensorInventory.ALIASES_KEY, aliases);
        }
        layers.modelClass().ifPresent(c -> metadata.put("keras.model_class", c));
        metadata.put("keras.layout", keras3 ? "keras3" : "legacy-h5");
        metadata.put(TRAINABLE, trainable);
        metadata.put(NON_TRAINABLE, nonTrainable);
        notes.add("Keras counts " + trainable + " trainable and " + nonTrainable + " non-trainable params "
                + "(BatchNorm moving statistics, frozen layers); both are parameters, as model.summary() totals them");
        if (layers.byName().isEmpty()) {
            notes.add("no model config in the file: layers are known by name only (BatchNormalization by its "
                    + "default name)");
        }
        metadata.put("keras.optimizer_variables", (long) optimizer);
        if (rng > 0) {
            notes.add(rng + " SeedGenerator state variable(s) (Dropout RNG state: bookkeeping, not learned; listed as "
                    + "buffers)");
        }
        if (listing.skippedLinks() > 0) {
            notes.add(listing.skippedLinks() + " HDF5 soft/external links not followed");
        }
        return new TensorInventory(format, List.of(path), tensors, metadata, Optional.empty(), notes);
    }

    /** A string attribute of the root group, or null; its size is checked before the library reads it. */
    private static String stringAttribute(Path path, HdfFile hdf, String name) {
        return guard(path, () -> {
            Attribute a = hdf.getAttribute(name);
            if (a == null) {
                return null;
            }
            if (a.getSizeInBytes() > MAX_JSON_BYTES) {
                throw new UnsupportedModelException(
                        path,
                        name,
                        "attribute of " + a.getSizeInBytes() + " bytes is above the " + MAX_JSON_BYTES
                                + "-byte limit heft reads");
            }
            Object data = a.getData();
            if (data instanceof String s) {
                return s;
            }
            if (data instanceof String[] arr && arr.length == 1) {
                return arr[0];
            }
            return null;
        });
    }

    private static JsonObject json(Path file, String key, byte[] utf8) {
        try {
            if (Json.parse(utf8) instanceof JsonObject o) {
                return o;
            }
        } catch (JsonException e) {
            throw new CorruptModelException(file, key, "not valid JSON: " + e.getMessage());
        }
        throw new CorruptModelException(file, key, "expected a JSON object");
    }

    private interface Opener {
        HdfFile open() throws IOException;
    }

    /** Opens the HDF5 file, turning the library's runtime errors into a typed corruption error. */
    private static HdfFile open(Path path, Opener opener) throws IOException {
        try {
            return opener.open();
        } catch (HeftException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new CorruptModelException(path, 0, "not a readable HDF5 file: " + describe(e), e);
        }
    }

    /** Runs jhdf code: its exceptions on malformed headers (HdfException, buffer under/overflow) become typed. */
    private static <T> T guard(Path path, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (HeftException e) {
            throw e;
        } catch (ArithmeticException e) {
            throw new CorruptModelException(path, 0, "HDF5 dataset sizes overflow 64 bits", e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new CorruptModelException(path, 0, "malformed HDF5 object header: " + describe(e), e);
        }
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
