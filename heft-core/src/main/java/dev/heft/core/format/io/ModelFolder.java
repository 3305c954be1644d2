package dev.heft.core.format.io;

import dev.heft.core.error.CorruptModelException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one rule for files a model names or implies beside itself (ONNX {@code external_data}, the shards of a
 * safetensors or PyTorch index, TF.js manifest paths, the other parts of a split GGUF): they may only resolve inside the
 * model's own folder. Model files are often downloaded from strangers; {@code "../../.ssh/id_rsa"} or a symlink to
 * {@code /etc/shadow} must not make heft open, size or quote a file the model does not own.
 *
 * <p>Refused, before any file is touched: an empty name, an absolute path ({@code /x}, {@code \x}, a drive
 * {@code C:}), a backslash or NUL, a {@code ..} component. Then, by real path: a file (or a folder on the way) that is
 * a symbolic link resolving outside the model's folder. Errors never print where a link points nor anything read
 * from its target.
 *
 * <p>The Hugging Face cache is the one layout where links leaving the folder are the norm: every file in
 * {@code models--ORG--NAME/snapshots/REV/} is a link to {@code ../../blobs/SHA}. There the containment root is the
 * repository's folder {@code models--ORG--NAME} (which holds {@code blobs}), so links into the cache's blobs resolve
 * and links anywhere else are still refused.
 */
public final class ModelFolder {
    private ModelFolder() {}

    /**
     * The file {@code name}, as {@code referrer} writes it (at {@code key}), in {@code folder}: checked by the rules
     * above. The file need not exist (the caller reports a missing one in its own words); a link that resolves nowhere
     * (dangling, a loop) is refused here.
     *
     * @param referrer the model file that names {@code name}, for messages
     * @param key      where in the referrer the name sits (a JSON path, a tensor name), for messages
     */
    public static Path resolve(Path referrer, String key, Path folder, String name) {
        Path candidate = candidate(referrer, key, folder, name);
        requireInside(referrer, key, folder, candidate, name);
        return candidate;
    }

    /**
     * {@link #resolve}, or {@code null} where the resolved path is not a regular file (links followed, as
     * {@link Files#isRegularFile}: missing, or a folder). Refusals come first, as with {@code resolve} followed by
     * {@code Files.isRegularFile}; a plain file is answered from the one {@code lstat} the rules above already made,
     * where that pair stats it twice (once per shard of a 163-shard index on every inspect).
     */
    public static Path resolveRegularFile(Path referrer, String key, Path folder, String name) {
        Path candidate = candidate(referrer, key, folder, name);
        BasicFileAttributes attributes = requireInside(referrer, key, folder, candidate, name);
        if (attributes == null) {
            return null;
        }
        boolean regular = attributes.isSymbolicLink() ? Files.isRegularFile(candidate) : attributes.isRegularFile();
        return regular ? candidate : null;
    }

    /** {@code name} in {@code folder}, refused by its spelling alone (nothing on disk is touched). */
    private static Path candidate(Path referrer, String key, Path folder, String name) {
        String why = syntaxProblem(name);
        if (why != null) {
            throw refuse(referrer, key, name, why);
        }
        Path candidate;
        try {
            candidate = folder.resolve(name).normalize();
        } catch (InvalidPathException e) {
            throw refuse(referrer, key, name, "is not a valid path");
        }
        if (!candidate.startsWith(folder.normalize())) {
            throw refuse(referrer, key, name, "leaves the model's folder");
        }
        return candidate;
    }

    /**
     * Checks a file heft derived itself (the next part of a split GGUF, a shard found by pattern) that sits in
     * {@code folder}: if it exists, its real path must lie inside the folder's (see the class comment).
     */
    public static void requireInside(Path referrer, String key, Path folder, Path file) {
        requireInside(referrer, key, folder, file, String.valueOf(file.getFileName()));
    }

    /** The checks of {@link #requireInside(Path, String, Path, Path)}; the file's own attributes, null if missing. */
    private static BasicFileAttributes requireInside(
            Path referrer, String key, Path folder, Path candidate, String name) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(candidate, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null; // not there (what Files.exists answers false for)
        }
        if (!attributes.isSymbolicLink() && folder.normalize().equals(candidate.getParent())) {
            // Directly in the folder and not a link: its real path is the folder's real path and its name, inside the
            // root (the real folder or an ancestor) whatever the folder's own path goes through. Answered without the
            // two real-path walks below (an lstat per path component each), once per shard of a 191-shard checkpoint.
            return attributes;
        }
        Path real;
        Path root;
        try {
            real = candidate.toRealPath();
            root = root(folder.toRealPath());
        } catch (NoSuchFileException e) {
            throw refuse(referrer, key, name, "is a link to a file that does not exist");
        } catch (FileSystemException e) {
            throw refuse(referrer, key, name, "cannot be resolved (a link loop or an unreadable folder)");
        } catch (IOException e) {
            throw refuse(referrer, key, name, "cannot be resolved");
        }
        if (!real.startsWith(root)) {
            throw refuse(
                    referrer,
                    key,
                    name,
                    "is a symbolic link (or inside one) that leads outside the model's " + "folder");
        }
        return attributes;
    }

    /** Why {@code name} cannot be a path inside the folder, or null when its spelling is acceptable. */
    static String syntaxProblem(String name) {
        if (name.isEmpty()) {
            return "is empty";
        }
        if (name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0) {
            return "contains a NUL or a backslash";
        }
        if (name.startsWith("/") || name.length() > 1 && name.charAt(1) == ':') {
            return "is absolute; it must be a relative path inside the model's folder";
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..")) {
                return "contains '..'; it must stay inside the model's folder";
            }
        }
        return null;
    }

    /** The containment root for a model folder: itself, or the repository folder of a Hugging Face cache snapshot. */
    static Path root(Path realFolder) {
        Path snapshots = realFolder.getParent();
        Path repository = snapshots == null ? null : snapshots.getParent();
        if (repository != null
                && String.valueOf(snapshots.getFileName()).equals("snapshots")
                && String.valueOf(repository.getFileName()).contains("--")
                && Files.isDirectory(repository.resolve("blobs"))) {
            return repository;
        }
        return realFolder;
    }

    private static CorruptModelException refuse(Path referrer, String key, String name, String why) {
        return new CorruptModelException(referrer, key, "'" + name + "' " + why);
    }
}
