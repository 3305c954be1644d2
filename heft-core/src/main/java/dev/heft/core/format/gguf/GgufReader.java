package dev.heft.core.format.gguf;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.format.ModelReader;
import dev.heft.core.format.io.MappedFile;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads GGUF v1-v3 files header-only into a {@link TensorInventory}; a split model ({@code -00001-of-0000N.gguf})
 * is read as one model whichever part is named. {@link #readFile(Path)} gives one file's full header as a
 * {@link GgufFile}; {@link #map(Path, Arena)} also keeps the mapping open for reading tensor data.
 */
public final class GgufReader implements ModelReader {

    @Override
    public ModelFormat format() {
        return ModelFormat.GGUF;
    }

    @Override
    public boolean recognises(byte[] head, Path path) {
        return head.length >= 4 && head[0] == 'G' && head[1] == 'G' && head[2] == 'U' && head[3] == 'F';
    }

    @Override
    public TensorInventory read(Path path) throws IOException {
        GgufFile named = readFile(path);
        Optional<Integer> parts = GgufSplit.partCount(named);
        if (parts.isEmpty()) {
            return new TensorInventory(
                    ModelFormat.GGUF,
                    List.of(path),
                    named.toTensors(),
                    named.metadata(),
                    Optional.empty(),
                    named.notes());
        }
        return readSplit(path, named, parts.get());
    }

    /**
     * One file's header, parsed and checked. The mapping is closed before this returns: a header-only read holds no
     * resources (the confined arena is this method's own).
     */
    public static GgufFile readFile(Path path) throws IOException {
        try (MappedFile mapped = MappedFile.open(path)) {
            return GgufParser.parse(mapped.segment(), path);
        }
    }

    /**
     * Parses a GGUF header from bytes alone (the web app's upload: a browser sends only a file's first bytes), for a
     * file of {@code fileSize} bytes. Every header field must lie within {@code head}; tensor data ranges are checked
     * against {@code fileSize} (inside the file, disjoint) but their bytes are not there to read. Nothing touches disk.
     */
    public static GgufFile parseHeader(byte[] head, Path name, long fileSize) {
        return GgufParser.parse(MemorySegment.ofArray(head), name, fileSize);
    }

    /**
     * Maps the file in {@code arena} and parses its header; the caller closes the returned mapping (which closes the
     * arena). Use {@link Arena#ofShared()} when several threads read tensor data, {@link Arena#ofConfined()} otherwise.
     */
    public static GgufMapping map(Path path, Arena arena) throws IOException {
        MappedFile mapped = MappedFile.open(path, arena);
        try {
            return new GgufMapping(mapped, GgufParser.parse(mapped.segment(), path));
        } catch (RuntimeException e) {
            mapped.close();
            throw e;
        }
    }

    public static GgufMapping map(Path path) throws IOException {
        return map(path, Arena.ofConfined());
    }

    private static TensorInventory readSplit(Path named, GgufFile namedFile, int count) throws IOException {
        List<Path> paths = GgufSplit.siblings(named, count);
        List<GgufFile> parts = new ArrayList<>(count);
        for (Path p : paths) {
            parts.add(Files.isSameFile(p, named) ? namedFile : readFile(p));
        }
        return assemble(parts);
    }

    /**
     * One model from headers however they were read (files, or header bytes fetched over HTTP): a single file, or
     * every part of a split model in part order.
     */
    public static TensorInventory fromHeaders(List<GgufFile> parts) {
        GgufFile first = parts.getFirst();
        Optional<Integer> count = GgufSplit.partCount(first);
        if (count.isEmpty() && parts.size() == 1) {
            return new TensorInventory(
                    ModelFormat.GGUF,
                    List.of(first.path()),
                    first.toTensors(),
                    first.metadata(),
                    Optional.empty(),
                    first.notes());
        }
        int declared = count.orElse(1);
        if (declared != parts.size()) {
            throw new CorruptModelException(
                    first.path(),
                    GgufSplit.SPLIT_COUNT,
                    "says the model has " + declared + " part(s) but " + parts.size() + " were given");
        }
        return assemble(parts);
    }

    private static TensorInventory assemble(List<GgufFile> parts) {
        int count = parts.size();
        List<Path> paths = parts.stream().map(GgufFile::path).toList();
        List<Tensor> tensors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> notes = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            GgufFile part = parts.get(i);
            GgufSplit.checkPart(part, i, count);
            for (Tensor t : part.toTensors()) {
                if (!names.add(t.name())) {
                    throw new CorruptModelException(part.path(), t.name(), "tensor also stored in an earlier part");
                }
                tensors.add(t);
            }
            notes.addAll(part.notes());
        }
        GgufFile first = parts.getFirst();
        Optional<Long> declared = first.metadataLong(GgufSplit.SPLIT_TENSORS);
        if (declared.isPresent() && declared.get() != tensors.size()) {
            throw new CorruptModelException(
                    first.path(),
                    GgufSplit.SPLIT_TENSORS,
                    "says " + declared.get() + " tensors but the " + count + " parts hold " + tensors.size());
        }
        // Part 1 holds the model's metadata; the other parts carry only the split.* keys.
        return new TensorInventory(
                ModelFormat.GGUF, paths, tensors, first.metadata(), Optional.empty(), List.copyOf(notes));
    }
}
