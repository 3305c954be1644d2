package dev.heft.core.api.render;

import dev.heft.core.report.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A report laid out for people: labelled fields, titled tables, paragraphs and bullet lists, in order. Each report's
 * view builds one; {@link Renderer} turns it into text, Markdown or CSV, so every command's tables look alike in every
 * format and terminal escaping happens in one place.
 */
public record Document(List<Block> blocks) {
    public Document {
        blocks = List.copyOf(blocks);
    }

    /** One part of a document; blocks are separated by a blank line in text and Markdown. */
    public sealed interface Block permits Fields, Table, Paragraph, Bullets {}

    /**
     * Label-value lines with the values aligned ({@code Model       llama-3-8b}).
     *
     * @param labelWidth the column the values start at
     */
    public record Fields(int labelWidth, List<Field> fields) implements Block {
        public Fields {
            fields = List.copyOf(fields);
        }
    }

    /** A label and its value; an empty label continues the line above. */
    public record Field(String label, String value) {}

    /**
     * A table: a header, a rule, rows. In text, a column is right-aligned when asked to or when every cell starts with
     * a digit.
     */
    public record Table(Optional<String> title, List<Column> columns, List<List<Cell>> rows) implements Block {
        public Table {
            columns = List.copyOf(columns);
            rows = rows.stream().map(List::copyOf).toList();
            for (List<Cell> r : rows) {
                if (r.size() != columns.size()) {
                    throw new IllegalArgumentException("row has " + r.size() + " cells, table has " + columns.size());
                }
            }
        }
    }

    public record Column(String header, boolean rightAligned) {}

    /**
     * A cell as people read it ({@code 2.30 GiB}) and as a spreadsheet wants it ({@code 2471628800}).
     */
    public record Cell(String text, String raw) {
        public static Cell of(Object text) {
            String s = text == null ? "" : text.toString();
            return new Cell(s, s);
        }

        /** An exact count, grouped in text ({@code 2,033,408}) and plain in CSV. */
        public static Cell exact(long n) {
            return new Cell(Units.exact(n), Long.toString(n));
        }

        /** A byte count in binary units in text ({@code 2.30 GiB}) and exact in CSV. */
        public static Cell bytes(long n) {
            return new Cell(Units.bytes(n), Long.toString(n));
        }

        /** A parameter count with an SI suffix in text ({@code 8.03 B}) and exact in CSV. */
        public static Cell count(long n) {
            return new Cell(Units.count(n), Long.toString(n));
        }
    }

    /** Lines printed as they are, one after another. */
    public record Paragraph(List<String> lines) implements Block {
        public Paragraph {
            lines = List.copyOf(lines);
        }
    }

    /** {@code - item} lines under an optional title ({@code Notes}, {@code Assumptions}). */
    public record Bullets(Optional<String> title, List<String> items) implements Block {
        public Bullets {
            items = List.copyOf(items);
        }
    }

    /** Builds a document block by block. */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final List<Block> blocks = new ArrayList<>();

        private Builder() {}

        public Builder fields(int labelWidth, Field... fields) {
            blocks.add(new Fields(labelWidth, List.of(fields)));
            return this;
        }

        public Builder fields(int labelWidth, List<Field> fields) {
            blocks.add(new Fields(labelWidth, fields));
            return this;
        }

        public Builder table(TableBuilder table) {
            blocks.add(table.build());
            return this;
        }

        public Builder paragraph(String... lines) {
            blocks.add(new Paragraph(List.of(lines)));
            return this;
        }

        public Builder paragraph(List<String> lines) {
            blocks.add(new Paragraph(lines));
            return this;
        }

        /** Bullets under a title; nothing when there are no items. */
        public Builder bullets(String title, List<String> items) {
            if (!items.isEmpty()) {
                blocks.add(new Bullets(Optional.ofNullable(title), items));
            }
            return this;
        }

        public Document build() {
            return new Document(blocks);
        }
    }

    public static Field field(String label, String value) {
        return new Field(label, value);
    }

    /** A table with these column headers; {@link TableBuilder#alignRight} marks columns that are numbers. */
    public static TableBuilder table(String title, String... headers) {
        return new TableBuilder(title, headers);
    }

    public static final class TableBuilder {
        private final String title;
        private final String[] headers;
        private final boolean[] right;
        private final List<List<Cell>> rows = new ArrayList<>();

        TableBuilder(String title, String[] headers) {
            this.title = title;
            this.headers = headers.clone();
            this.right = new boolean[headers.length];
        }

        public TableBuilder alignRight(int... columns) {
            for (int c : columns) {
                right[c] = true;
            }
            return this;
        }

        /** A row of cells: {@link Cell}s as given, anything else as its text. */
        public TableBuilder row(Object... cells) {
            List<Cell> r = new ArrayList<>(cells.length);
            for (Object c : cells) {
                r.add(c instanceof Cell cell ? cell : Cell.of(c));
            }
            rows.add(r);
            return this;
        }

        public boolean isEmpty() {
            return rows.isEmpty();
        }

        Table build() {
            List<Column> cols = new ArrayList<>(headers.length);
            for (int i = 0; i < headers.length; i++) {
                cols.add(new Column(headers[i], right[i]));
            }
            return new Table(Optional.ofNullable(title), cols, rows);
        }
    }
}
