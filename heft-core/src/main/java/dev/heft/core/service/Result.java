package dev.heft.core.service;

import java.util.Map;

/**
 * What a command produces, for every face: the {@code --json} object (the HTTP API returns the same object) and the
 * human-readable text.
 */
public record Result(Map<String, Object> json, String text) {
}
