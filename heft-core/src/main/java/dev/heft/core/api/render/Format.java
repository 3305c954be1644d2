package dev.heft.core.api.render;

import java.util.Locale;

/** How a report is printed: {@code --format text|json|md|csv} ({@code --json} is {@code --format json}). */
public enum Format {
    /** Aligned tables for a terminal. */
    TEXT("text"),
    /** The report's JSON contract ({@code ReportJson}). */
    JSON("json"),
    /** GitHub-flavoured Markdown: fields as a list, tables as pipe tables. */
    MARKDOWN("md"),
    /** The tables as RFC 4180 CSV with exact numbers, each after a {@code # title} line. */
    CSV("csv");

    private final String id;

    Format(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Format parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        for (Format f : values()) {
            if (f.id.equals(t) || f.name().toLowerCase(Locale.ROOT).equals(t)) {
                return f;
            }
        }
        throw new dev.heft.core.error.InvalidInputException(
                "format: unknown value '" + s + "' (known: text, json, md, csv)");
    }

    @Override
    public String toString() {
        return id;
    }
}
