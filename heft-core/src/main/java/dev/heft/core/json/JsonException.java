package dev.heft.core.json;

import dev.heft.core.error.HeftException;

/** Malformed JSON or a JSON value of the wrong type. Callers that read a file wrap it with the file's name. */
public final class JsonException extends HeftException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    public JsonException(String message) {
        this(message, -1);
    }

    public JsonException(String message, long offset) {
        super(message);
        this.offset = offset;
    }

    /** Character offset in the parsed text where parsing failed, or -1. */
    public long offset() {
        return offset;
    }
}
