package dev.heft.core.error;

import java.nio.file.Path;

/**
 * A model file that heft cannot read: either it is damaged ({@link CorruptModelException}) or it uses something heft
 * does not support ({@link UnsupportedModelException}). Always names the file, where in it (a byte offset or a key),
 * and what was expected, so the one-line message is enough to act on.
 */
public sealed class ModelFormatException extends HeftException
        permits CorruptModelException, UnsupportedModelException {
    private static final long serialVersionUID = 1L;

    /** Marker for "no byte offset applies" (the location is a key instead). */
    public static final long NO_OFFSET = -1;

    /** Paths are not serializable; heft never serializes exceptions, and the message names the file anyway. */
    private final transient Path file;

    private final long offset;
    private final String key;
    private final String problem;

    protected ModelFormatException(Path file, long offset, String key, String problem, Throwable cause) {
        super(format(file, offset, key, problem), cause);
        this.file = file;
        this.offset = offset;
        this.key = key;
        this.problem = problem;
    }

    private static String format(Path file, long offset, String key, String problem) {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<input>" : file.toString());
        if (offset >= 0) {
            sb.append(": at byte ").append(offset);
        }
        if (key != null) {
            sb.append(offset >= 0 ? ", key '" : ": key '").append(key).append('\'');
        }
        sb.append(": ").append(problem);
        // One line whatever the file put in a name or path the message quotes (a JSON "\n" in a TF.js shard path was
        // one): the renderers escape again on output, and escaping twice changes nothing.
        return dev.heft.core.api.render.Printable.of(sb.toString());
    }

    public Path file() {
        return file;
    }

    /** Byte offset in {@link #file()} where the problem was found, or {@link #NO_OFFSET}. */
    public long offset() {
        return offset;
    }

    /** The metadata key, tensor name or JSON path concerned, or null. */
    public String key() {
        return key;
    }

    /** What was wrong and what was expected, without the location prefix. */
    public String problem() {
        return problem;
    }
}
