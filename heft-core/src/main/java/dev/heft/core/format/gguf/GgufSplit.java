package dev.heft.core.format.gguf;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.io.ModelFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * llama.cpp's split GGUF models (tools/gguf-split): one model stored as {@code PREFIX-00001-of-00003.gguf},
 * {@code -00002-of-}, ... Every part carries {@code split.no} (uint16, 0-based), {@code split.count} (uint16) and
 * {@code split.tensors.count} (int32, the tensors of the whole model); part 1 also carries the model's metadata.
 * The file names follow {@code llama_split_path}: {@code "%s-%05d-of-%05d.gguf"} with a 1-based part number.
 */
final class GgufSplit {
    static final String SPLIT_NO = "split.no";
    static final String SPLIT_COUNT = "split.count";
    static final String SPLIT_TENSORS = "split.tensors.count";
    private static final Pattern NAME = Pattern.compile("(.+)-(\\d{5})-of-(\\d{5})\\.gguf");

    private GgufSplit() {}

    /** The number of parts the file says the model has, when it says it is split into more than one. */
    static Optional<Integer> partCount(GgufFile file) {
        Optional<Long> count = file.metadataLong(SPLIT_COUNT);
        if (count.isEmpty() || count.get() <= 1) {
            return Optional.empty();
        }
        if (count.get() > 99_999) {
            throw new CorruptModelException(
                    file.path(),
                    SPLIT_COUNT,
                    "split.count " + count.get() + " does not fit llama.cpp's 5-digit part names");
        }
        return Optional.of(count.get().intValue());
    }

    /** Every part's path, in order, derived from the name of any one part. */
    static List<Path> siblings(Path anyPart, int count) {
        String fileName = anyPart.getFileName().toString();
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            throw new UnsupportedModelException(
                    anyPart,
                    SPLIT_COUNT,
                    "the file is part of a " + count + "-part split "
                            + "model, but its name does not follow PREFIX-00001-of-" + String.format("%05d", count)
                            + ".gguf, so the other parts cannot be found");
        }
        int namedCount = Integer.parseInt(m.group(3));
        if (namedCount != count) {
            throw new CorruptModelException(
                    anyPart,
                    SPLIT_COUNT,
                    "split.count is " + count + " but the file name says " + namedCount + " parts");
        }
        // Siblings are resolved the way the named part was given (relative stays relative), so the named part's
        // path and its entry in the inventory's file list are the same Path.
        Path dir = anyPart.getParent();
        List<Path> parts = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String name = String.format("%s-%05d-of-%05d.gguf", m.group(1), i, count);
            Path p = dir == null ? Path.of(name) : dir.resolve(name);
            ModelFolder.requireInside(anyPart, SPLIT_COUNT, dir == null ? Path.of("") : dir, p);
            if (!Files.isRegularFile(p)) {
                throw new CorruptModelException(
                        anyPart, SPLIT_COUNT, "part " + i + " of " + count + " is missing: " + "expected " + p);
            }
            parts.add(p);
        }
        return parts;
    }

    /** Checks that {@code part} is part {@code index} (0-based) of a {@code count}-part model. */
    static void checkPart(GgufFile part, int index, int count) {
        long no = part.metadataLong(SPLIT_NO)
                .orElseThrow(
                        () -> new CorruptModelException(part.path(), SPLIT_NO, "missing in a part of a split model"));
        long partCount = part.metadataLong(SPLIT_COUNT)
                .orElseThrow(() ->
                        new CorruptModelException(part.path(), SPLIT_COUNT, "missing in a part of a split model"));
        if (no != index) {
            throw new CorruptModelException(
                    part.path(),
                    SPLIT_NO,
                    "is " + no + " but the file name makes it part " + (index + 1) + " (split.no " + index + ")");
        }
        if (partCount != count) {
            throw new CorruptModelException(part.path(), SPLIT_COUNT, "is " + partCount + " but part 1 says " + count);
        }
    }
}
