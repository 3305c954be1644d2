package dev.heft.core.format.safetensors;

import dev.heft.core.error.InvalidInputException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a folder stores one model in safetensors, decided in the order transformers' {@code from_pretrained} looks:
 * a single {@code model.safetensors} first, then an index, then (heft's addition, for hand-made folders) every
 * {@code *.safetensors} file read as one model.
 */
public sealed interface CheckpointLayout {
    /** transformers' {@code SAFE_WEIGHTS_NAME}. */
    String SINGLE_NAME = "model.safetensors";

    /** One file holds every tensor. */
    record Single(Path file) implements CheckpointLayout {}

    /** An index names the shard of every tensor. */
    record Indexed(Path index) implements CheckpointLayout {}

    /** Several files with no index; their tensors together are the model. */
    record Loose(List<Path> files) implements CheckpointLayout {
        public Loose {
            files = List.copyOf(files);
        }
    }

    static CheckpointLayout of(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(dir + ": not a directory");
        }
        Path single = dir.resolve(SINGLE_NAME);
        if (Files.isRegularFile(single)) {
            return new Single(single);
        }
        List<Path> indexes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                if (name.endsWith(ShardIndex.SUFFIX)) {
                    indexes.add(p);
                } else if (name.endsWith(".safetensors")) {
                    files.add(p);
                }
            }
        }
        indexes.sort(null);
        files.sort(null);
        Path standard = dir.resolve(ShardIndex.STANDARD_NAME);
        if (indexes.contains(standard)) {
            return new Indexed(standard);
        }
        if (indexes.size() == 1) {
            return new Indexed(indexes.getFirst());
        }
        if (indexes.size() > 1) {
            throw new InvalidInputException(dir + ": holds " + indexes.size() + " safetensors indexes ("
                    + names(indexes) + "); name the one to read");
        }
        if (files.size() == 1) {
            return new Single(files.getFirst());
        }
        if (files.isEmpty()) {
            throw new InvalidInputException(
                    dir + ": holds no model.safetensors, no *" + ShardIndex.SUFFIX + " and no *.safetensors files");
        }
        return new Loose(files);
    }

    private static String names(List<Path> paths) {
        return String.join(
                ", ", paths.stream().map(p -> p.getFileName().toString()).toList());
    }
}
