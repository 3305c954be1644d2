package dev.heft.core.format.tfjs;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.format.io.ModelFolder;
import java.nio.file.Path;

/**
 * Shard paths in a manifest must stay inside the model folder: tfjs-converter writes plain file names
 * ({@code group1-shard1of2.bin}); a path that climbs out ({@code ..}), is absolute, or uses a drive or backslash could
 * make heft open files the model does not own, so it is refused before any file is touched.
 */
final class ShardPaths {
    private ShardPaths() {}

    static String check(Path manifest, String key, String path) {
        boolean bad = path.isEmpty()
                || path.startsWith("/")
                || path.contains("\\")
                || path.contains(":")
                || path.indexOf('\0') >= 0;
        if (!bad) {
            for (String segment : path.split("/", -1)) {
                if (segment.isEmpty() || segment.equals("..") || segment.equals(".")) {
                    bad = true;
                    break;
                }
            }
        }
        if (bad) {
            throw new CorruptModelException(
                    manifest,
                    key,
                    "shard path '" + path + "' is not a plain relative name "
                            + "inside the model folder (no '..', '.', empty segments, absolute paths, drives or backslashes)");
        }
        return path;
    }

    /** Resolves a checked path by the rule every format shares ({@link ModelFolder}: no link leaving the folder). */
    static Path resolve(Path manifest, String key, Path folder, String path) {
        return ModelFolder.resolve(manifest, key, folder, check(manifest, key, path));
    }
}
