package dev.heft.core.api.render;

import dev.heft.core.api.request.Choice;
import java.util.List;

/** How a report is printed: {@code --format text|json|md|csv} ({@code --json} is {@code --format json}). */
public enum Format implements Choice {
    /** Aligned tables for a terminal. */
    TEXT("text"),
    /** The report's JSON contract ({@code ReportJson}). */
    JSON("json"),
    /** GitHub-flavoured Markdown: fields as a list, tables as pipe tables. */
    MARKDOWN("md", "markdown"),
    /** The tables as RFC 4180 CSV with exact numbers, each after a {@code # title} line. */
    CSV("csv");

    private final String id;
    private final List<String> aliases;

    Format(String id, String... aliases) {
        this.id = id;
        this.aliases = List.of(aliases);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<String> aliases() {
        return aliases;
    }

    public static Format parse(String s) {
        return Choice.parse(Format.class, "format", s);
    }

    @Override
    public String toString() {
        return id;
    }
}
