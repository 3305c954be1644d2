package dev.heft.core.format.onnx;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.format.io.ModelFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resolves {@code external_data} locations the way onnx.checker does (onnx/checker.cc
 * {@code resolve_external_data_location}): the location is a relative POSIX path inside the model's folder; an
 * absolute path, a {@code ..} component, or a symlink whose target leaves the folder is refused. The data file's
 * size then bounds {@code offset + length}, and {@code length} must equal what dtype x dims need.
 */
final class ExternalData {
    private final Path modelFile;
    private final Path folder;
    private final Map<String, Resolved> cache = new HashMap<>();
    /** Byte ranges already given to a tensor, per data file, to refuse two tensors claiming the same bytes. */
    private final Map<Path, TreeMap<Long, Claim>> claimed = new HashMap<>();

    /** A resolved data file and its size. */
    record Resolved(Path path, long size) {}

    /** Where one tensor's bytes lie in its data file. */
    record Location(Path file, long offset, long length) {}

    ExternalData(Path modelFile) {
        this.modelFile = modelFile;
        Path parent = modelFile.toAbsolutePath().getParent();
        this.folder = parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    Location locate(OnnxTensorProto tensor, TensorStorage.External ext, long expectedBytes) {
        Resolved data = resolve(ext.location(), tensor.name(), ext.entryOffset());
        long offset = ext.offset() < 0 ? 0 : ext.offset();
        long length = ext.length() < 0 ? expectedBytes : ext.length();
        if (length != expectedBytes) {
            throw new CorruptModelException(
                    modelFile,
                    ext.entryOffset(),
                    tensor.name(),
                    "external_data length " + length + " but dims x " + tensor.dataType() + " need " + expectedBytes
                            + " bytes");
        }
        if (offset > data.size || length > data.size - offset) {
            throw new CorruptModelException(
                    modelFile,
                    ext.entryOffset(),
                    tensor.name(),
                    "external data offset "
                            + offset + " + length " + length + " runs past the end of " + data.path.getFileName()
                            + " (" + data.size + " bytes)");
        }
        claim(data.path, offset, length, tensor.name(), ext.entryOffset());
        return new Location(data.path, offset, length);
    }

    /** onnx writes each tensor to its own range; two tensors sharing bytes means a corrupt or crafted file. */
    private void claim(Path data, long offset, long length, String tensor, long at) {
        if (length == 0) {
            return;
        }
        TreeMap<Long, Claim> ranges = claimed.computeIfAbsent(data, k -> new TreeMap<>());
        // Ranges already claimed do not overlap each other, so only the one starting at or before this offset and
        // the one starting after it can overlap the new range.
        for (Map.Entry<Long, Claim> e : Arrays.asList(ranges.floorEntry(offset), ranges.higherEntry(offset))) {
            if (e != null
                    && e.getKey() < offset + length
                    && offset < e.getValue().end()) {
                throw new CorruptModelException(
                        modelFile,
                        at,
                        tensor,
                        "external data [" + offset + ", "
                                + (offset + length) + ") overlaps tensor '"
                                + e.getValue().tensor() + "' [" + e.getKey()
                                + ", " + e.getValue().end() + ") in " + data.getFileName());
            }
        }
        ranges.put(offset, new Claim(offset + length, tensor));
    }

    private record Claim(long end, String tensor) {}

    private Resolved resolve(String location, String tensor, long at) {
        Resolved cached = cache.get(location);
        if (cached != null) {
            return cached;
        }
        // The shared rule first (no absolute path, no '..', no link leading out of the folder), then onnx.checker's
        // own, stricter one: a data file may not be a symbolic link at all.
        Path candidate = ModelFolder.resolve(modelFile, tensor, folder, location);
        try {
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                throw new CorruptModelException(
                        modelFile,
                        at,
                        tensor,
                        "external data file '" + location + "' does not exist beside the model (looked for " + candidate
                                + ")");
            }
            Path real = candidate.toRealPath();
            if (Files.isSymbolicLink(candidate)) {
                throw refuse(tensor, at, location, "is a symbolic link; onnx.checker refuses symlinked data files");
            }
            if (!Files.isRegularFile(real)) {
                throw new CorruptModelException(
                        modelFile, at, tensor, "external data '" + location + "' is not a regular file");
            }
            Resolved r = new Resolved(real, Files.size(real));
            cache.put(location, r);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read external data '" + location + "' of " + modelFile, e);
        }
    }

    private CorruptModelException refuse(String tensor, long at, String location, String why) {
        return new CorruptModelException(modelFile, at, tensor, "external data location '" + location + "' " + why);
    }
}
