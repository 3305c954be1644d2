package dev.heft.core.format.tflite;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.HeftException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.zip.ZipDirectory;
import dev.heft.core.format.zip.ZipEntry;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Several TFLite models in one file, each read in place and summed, every one listed as a {@link Component}:
 * <ul>
 *   <li>a MediaPipe {@code .task} model asset bundle: a plain zip of {@code .tflite} models and nested {@code .task}
 *       bundles, every entry ZIP_STORED so the runtime can mmap each model (MediaPipe
 *       {@code tasks/python/metadata/metadata_writers/model_asset_bundle_utils.py create_model_asset_bundle};
 *       hand_landmarker.task holds hand_detector.tflite and hand_landmarks_detector.tflite, gesture_recognizer.task
 *       nests hand_landmarker.task);</li>
 *   <li>a TFLite model with packed associated files: a zip appended after the flatbuffer (tflite-support's
 *       {@code MetadataPopulator} opens the model file with zipfile mode "a"), which may hold further models.</li>
 * </ul>
 * Entries are sliced out of the one mapping, never copied or inflated: a DEFLATED model entry is refused (MediaPipe
 * only writes stored ones). Tensor names get the entry's path as a prefix; offsets are absolute in the outer file.
 * Other entries (labels, tokenizers, metadata) are listed in a note.
 */
public final class TfliteBundle {
    /** gesture_recognizer.task nests two levels; a deeper chain is not a real bundle and could recurse forever. */
    static final int MAX_DEPTH = 4;

    public static final String COMPONENTS = TfliteReader.PREFIX + "components";

    private TfliteBundle() {}

    /** One TFLite model inside the file: its path in the bundle, parameters and stored tensor bytes. */
    public record Component(String name, long parameters, long bytes, int tensors) {
        String describe() {
            return name + ": " + parameters + " parameters, " + bytes + " bytes in " + tensors + " tensors";
        }
    }

    /** Whether a zip directory names a TFLite model or a nested bundle (how a {@code .task} is told from a zip). */
    static boolean holdsModels(ZipDirectory zip) {
        return zip.entries().stream().anyMatch(e -> isTflite(e.name()) || isBundle(e.name()));
    }

    /** A {@code .task} bundle: every model in it, summed. */
    static TensorInventory readTask(MemorySegment data, Path file) {
        ZipDirectory zip = ZipDirectory.read(data, file);
        Walk walk = new Walk(data, file);
        walk.entries(zip, 0, "", 0);
        CorruptModelException.verify(
                !walk.components.isEmpty(),
                file,
                0,
                "zip archive holds no .tflite model " + "entry; a MediaPipe .task bundle holds at least one");
        return walk.inventory("MediaPipe task bundle", List.of(), new LinkedHashMap<>());
    }

    /**
     * A TFLite model already read from {@code data}, plus the models in a zip appended after its flatbuffer, if
     * there is one. No end-of-central-directory record at the end of the file: the model alone, unchanged.
     */
    static TensorInventory withPackedAssets(TensorInventory model, MemorySegment data, Path file) {
        if (!endsLikeZip(data)) {
            return model;
        }
        ZipDirectory zip;
        try {
            zip = ZipDirectory.read(data, file);
        } catch (HeftException e) {
            // tensor bytes that happen to end in an EOCD signature: not an archive
            return model.withNotes(List.of("the file ends in bytes that look like a zip record but are not a "
                    + "readable archive (" + e.getMessage() + "); read as a plain TFLite model"));
        }
        Walk walk = new Walk(data, file);
        walk.add(
                new Component(
                        file.getFileName().toString(),
                        model.parameters(),
                        model.tensorBytes(),
                        model.tensors().size()),
                model.tensors(),
                model.metadata());
        walk.entries(zip, 0, "", 0);
        List<String> notes = new ArrayList<>(model.notes());
        notes.add("associated files packed after the flatbuffer (TFLite metadata): "
                + zip.entries().size() + " zip entries");
        return walk.inventory("TFLite with packed associated files", notes, new LinkedHashMap<>(model.metadata()));
    }

    /** APPNOTE 4.3.16: an EOCD signature within the last 22 + 65,535 bytes, its comment ending at the file's end. */
    private static boolean endsLikeZip(MemorySegment data) {
        long size = data.byteSize();
        ValueLayout.OfInt le = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long p = size - 22; p >= Math.max(8, size - 22 - 0xffff); p--) {
            if (data.get(le, p) == 0x06054b50
                    && p
                                    + 22
                                    + Short.toUnsignedInt(data.get(
                                            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(
                                                    java.nio.ByteOrder.LITTLE_ENDIAN),
                                            p + 20))
                            == size) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTflite(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".tflite");
    }

    private static boolean isBundle(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".task");
    }

    /** Collects components and tensors over nested archives. */
    private static final class Walk {
        private final MemorySegment data;
        private final Path file;
        private final List<Component> components = new ArrayList<>();
        private final List<Tensor> tensors = new ArrayList<>();
        private final List<String> others = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        /** Count metadata (operators, quantization scales and overhead bytes, ...) summed over the models. */
        private final Map<String, Long> counts = new LinkedHashMap<>();

        Walk(MemorySegment data, Path file) {
            this.data = data;
            this.file = file;
        }

        void add(Component c, List<Tensor> ts, Map<String, Object> metadata) {
            components.add(c);
            tensors.addAll(ts);
            metadata.forEach((key, value) -> {
                if (value instanceof Long n && !key.equals(TfliteReader.PREFIX + "schema_version")) {
                    counts.merge(key, n, Math::addExact);
                }
            });
        }

        /** The entries of {@code zip}, whose offsets are relative to {@code base} in the outer file. */
        void entries(ZipDirectory zip, long base, String prefix, int depth) {
            for (ZipEntry e : zip.entries()) {
                if (e.isDirectory()) {
                    continue;
                }
                String name = prefix + e.name();
                boolean model = isTflite(e.name()) || hasTfliteIdentifier(base, e);
                boolean bundle = !model && (isBundle(e.name()) || startsLikeZip(base, e));
                if (!model && !bundle) {
                    others.add(name + " (" + e.uncompressedSize() + " bytes)");
                    continue;
                }
                if (!e.isStored()) {
                    throw new UnsupportedModelException(
                            file,
                            base + e.headerOffset(),
                            name,
                            "entry is compressed "
                                    + "(method " + e.method()
                                    + "); MediaPipe stores bundle entries uncompressed so they can "
                                    + "be mapped in place, and heft reads them only so");
                }
                long start = base + e.dataOffset();
                MemorySegment slice = data.asSlice(start, e.uncompressedSize());
                if (model) {
                    TensorInventory inv = TfliteReader.read(slice, file);
                    List<Tensor> moved = new ArrayList<>(inv.tensors().size());
                    for (Tensor t : inv.tensors()) {
                        moved.add(new Tensor(
                                name + "/" + t.name(),
                                t.shape(),
                                t.dtype(),
                                t.role(),
                                t.parameters(),
                                t.offset() < 0 ? -1 : start + t.offset(),
                                t.bytes(),
                                file,
                                t.packing()));
                    }
                    add(new Component(name, inv.parameters(), inv.tensorBytes(), moved.size()), moved, inv.metadata());
                    for (String n : inv.notes()) {
                        notes.add(name + ": " + n);
                    }
                } else {
                    if (depth + 1 >= MAX_DEPTH) {
                        throw new UnsupportedModelException(
                                file, start, name, "bundles nested more than " + MAX_DEPTH + " deep");
                    }
                    entries(ZipDirectory.read(slice, file), start, name + "/", depth + 1);
                }
            }
        }

        private boolean hasTfliteIdentifier(long base, ZipEntry e) {
            if (!e.isStored() || e.uncompressedSize() < 8) {
                return false;
            }
            for (int i = 0; i < 4; i++) {
                if (data.get(ValueLayout.JAVA_BYTE, base + e.dataOffset() + 4 + i) != TfliteReader.IDENTIFIER[i]) {
                    return false;
                }
            }
            return true;
        }

        private boolean startsLikeZip(long base, ZipEntry e) {
            if (!e.isStored() || e.uncompressedSize() < 4) {
                return false;
            }
            byte[] head = new byte[4];
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, base + e.dataOffset(), head, 0, 4);
            return ZipDirectory.looksLikeZip(head);
        }

        TensorInventory inventory(String kind, List<String> leading, Map<String, Object> metadata) {
            List<String> all = new ArrayList<>(leading);
            List<Object> listed = new ArrayList<>();
            for (Component c : components) {
                listed.add(c.describe());
            }
            all.add(kind + " of " + components.size() + " TFLite model(s), summed: "
                    + String.join("; ", listed.stream().map(Object::toString).toList()));
            all.addAll(notes);
            if (!others.isEmpty()) {
                all.add("other entries (not models): " + String.join(", ", others));
            }
            metadata.putAll(counts);
            metadata.put(TfliteReader.PREFIX + "bundle", kind);
            metadata.put(COMPONENTS, listed);
            return new TensorInventory(ModelFormat.TFLITE, List.of(file), tensors, metadata, Optional.empty(), all);
        }
    }
}
