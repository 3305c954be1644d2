package dev.heft.core.format;

import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.TensorInventory;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads one file format into a {@link TensorInventory}, header-only where the format allows: tensor data is located
 * (offset and length checked against the file), never read to be counted. A reader knows nothing of classification,
 * memory planning or reports.
 */
public interface ModelReader {

    ModelFormat format();

    /**
     * Whether this reader recognises the file by its first bytes (magic numbers, not extensions).
     *
     * @param head up to the first 64 bytes of the file (fewer if the file is shorter)
     * @param path the file, for formats whose magic is ambiguous (zip) and need a look inside
     */
    boolean recognises(byte[] head, Path path) throws IOException;

    /**
     * Reads the file's tensor inventory.
     *
     * @throws dev.heft.core.error.CorruptModelException     when the file breaks its format's rules
     * @throws dev.heft.core.error.UnsupportedModelException when it uses something heft does not read
     * @throws IOException                                    when the file cannot be read at all
     */
    TensorInventory read(Path path) throws IOException;
}
