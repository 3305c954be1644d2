package dev.heft.core.service;

import dev.heft.core.error.SafeText;
import java.util.Map;

/**
 * What a command produces, for every face: the {@code --json} object (the HTTP API returns the same object) and the
 * human-readable text.
 */
public record Result(Map<String, Object> json, String text) {
    /** The text goes to a terminal: no control character other than a line feed reaches it ({@link SafeText}). */
    public Result {
        text = SafeText.escapeKeepingLines(text);
    }
}
