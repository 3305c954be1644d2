package dev.heft.core.api.render;

import dev.heft.core.api.render.Document.Block;
import dev.heft.core.api.render.Document.Bullets;
import dev.heft.core.api.render.Document.Cell;
import dev.heft.core.api.render.Document.Column;
import dev.heft.core.api.render.Document.Field;
import dev.heft.core.api.render.Document.Fields;
import dev.heft.core.api.render.Document.Paragraph;
import dev.heft.core.api.render.Document.Table;
import java.util.List;

/**
 * Prints a {@link Document} as text, Markdown or CSV. Every string passes through {@link Printable} here, once, so no
 * view has to remember to escape what came from a file.
 *
 * <p>The blocks are told apart with {@code instanceof}, not a pattern {@code switch}: javac links a pattern switch
 * through {@code SwitchBootstraps.typeSwitch}, which generates a class on first use that the AOT cache cannot hold,
 * so every command paid for generating it with cold code (bench/RESULTS.md, start-up). The compiler's exhaustiveness
 * check moved to SealedBranchesTest, and an unknown block fails loudly ({@link #unhandled}).
 */
public final class Renderer {
    private Renderer() {}

    /** A block kind added to {@link Block} without a branch here. */
    private static IllegalStateException unhandled(Block b) {
        return new IllegalStateException("no rendering for " + b.getClass().getSimpleName());
    }

    public static String render(Document d, Format f) {
        return switch (f) {
            case TEXT -> text(d);
            case MARKDOWN -> markdown(d);
            case CSV -> csv(d);
            case JSON -> throw new IllegalArgumentException("JSON is written from the report itself (ReportJson)");
        };
    }

    // ---- text -----------------------------------------------------------------------------------------------------

    public static String text(Document d) {
        StringBuilder sb = new StringBuilder();
        for (Block b : d.blocks()) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            if (b instanceof Fields f) {
                for (Field x : f.fields()) {
                    String label = Printable.of(x.label());
                    sb.append(label)
                            .repeat(' ', Math.max(0, f.labelWidth() - label.length()))
                            .append(Printable.of(x.value()));
                    trimEnd(sb);
                    sb.append('\n');
                }
            } else if (b instanceof Table t) {
                t.title().ifPresent(title -> sb.append(Printable.of(title)).append('\n'));
                textTable(sb, t);
            } else if (b instanceof Paragraph p) {
                p.lines().forEach(l -> sb.append(Printable.of(l)).append('\n'));
            } else if (b instanceof Bullets bl) {
                bl.title().ifPresent(title -> sb.append(Printable.of(title)).append('\n'));
                bl.items().forEach(i -> sb.append("- ").append(Printable.of(i)).append('\n'));
            } else {
                throw unhandled(b);
            }
        }
        return sb.toString();
    }

    private static void textTable(StringBuilder sb, Table t) {
        int cols = t.columns().size();
        int[] width = new int[cols];
        boolean[] right = new boolean[cols];
        String[] header = new String[cols];
        String[][] cells = new String[t.rows().size()][cols];
        for (int c = 0; c < cols; c++) {
            header[c] = Printable.of(t.columns().get(c).header());
            width[c] = header[c].length();
            right[c] = !t.rows().isEmpty();
        }
        for (int r = 0; r < t.rows().size(); r++) {
            for (int c = 0; c < cols; c++) {
                String cell = Printable.of(t.rows().get(r).get(c).text());
                cells[r][c] = cell;
                width[c] = Math.max(width[c], cell.length());
                if (!cell.isEmpty() && !looksNumeric(cell)) {
                    right[c] = false;
                }
            }
        }
        for (int c = 0; c < cols; c++) {
            right[c] |= t.columns().get(c).rightAligned();
        }
        line(sb, header, width, right);
        for (int c = 0; c < cols; c++) {
            if (c > 0) {
                sb.append("  ");
            }
            sb.repeat('-', width[c]);
        }
        sb.append('\n');
        for (String[] row : cells) {
            line(sb, row, width, right);
        }
    }

    /** A cell that reads as a number: starts with a digit, or a minus sign and a digit. */
    private static boolean looksNumeric(String cell) {
        return Character.isDigit(cell.charAt(0))
                || cell.charAt(0) == '-' && cell.length() > 1 && Character.isDigit(cell.charAt(1));
    }

    private static void line(StringBuilder sb, String[] cells, int[] width, boolean[] right) {
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                sb.append("  ");
            }
            int pad = width[c] - cells[c].length();
            if (right[c]) {
                sb.repeat(' ', pad).append(cells[c]);
            } else {
                sb.append(cells[c]).repeat(' ', pad);
            }
        }
        // No trailing spaces: output pasted into docs and diffs stays clean.
        trimEnd(sb);
        sb.append('\n');
    }

    private static void trimEnd(StringBuilder sb) {
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
    }

    // ---- Markdown -------------------------------------------------------------------------------------------------

    public static String markdown(Document d) {
        StringBuilder sb = new StringBuilder();
        for (Block b : d.blocks()) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            if (b instanceof Fields f) {
                for (Field x : f.fields()) {
                    String v = md(x.value().strip());
                    if (x.label().isBlank()) {
                        sb.append("  ").append(v).append('\n');
                    } else {
                        sb.append("- **")
                                .append(md(x.label().strip()))
                                .append("** ")
                                .append(v)
                                .append('\n');
                    }
                }
            } else if (b instanceof Table t) {
                t.title().ifPresent(title -> sb.append("**").append(md(title)).append("**\n\n"));
                List<Column> cols = t.columns();
                sb.append('|');
                cols.forEach(c -> sb.append(' ').append(md(c.header())).append(" |"));
                sb.append("\n|");
                for (int c = 0; c < cols.size(); c++) {
                    sb.append(cols.get(c).rightAligned() || numericColumn(t, c) ? " ---: |" : " --- |");
                }
                sb.append('\n');
                for (List<Cell> row : t.rows()) {
                    sb.append('|');
                    row.forEach(c -> sb.append(' ').append(md(c.text())).append(" |"));
                    sb.append('\n');
                }
            } else if (b instanceof Paragraph p) {
                for (int i = 0; i < p.lines().size(); i++) {
                    sb.append(md(p.lines().get(i))).append(i + 1 < p.lines().size() ? "  \n" : "\n");
                }
            } else if (b instanceof Bullets bl) {
                bl.title().ifPresent(title -> sb.append("**").append(md(title)).append("**\n\n"));
                bl.items().forEach(i -> sb.append("- ").append(md(i)).append('\n'));
            } else {
                throw unhandled(b);
            }
        }
        return sb.toString();
    }

    private static boolean numericColumn(Table t, int c) {
        if (t.rows().isEmpty()) {
            return false;
        }
        for (List<Cell> row : t.rows()) {
            String s = row.get(c).text();
            if (!s.isEmpty() && !looksNumeric(s)) {
                return false;
            }
        }
        return true;
    }

    /** Printable, with the characters that would end a table cell or start markup escaped. */
    private static String md(String s) {
        String p = Printable.of(s);
        StringBuilder sb = new StringBuilder(p.length());
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '|' || c == '*' || c == '_' || c == '`' || c == '<' || c == '[' || c == ']') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    // ---- CSV ------------------------------------------------------------------------------------------------------

    /**
     * The document's fields (as a {@code field,value} table) and tables, in order, each after a {@code # title} line
     * and separated by a blank line; cells hold exact values ({@link Cell#raw}). Paragraphs and bullet lists (notes,
     * assumptions) are left to the text and JSON forms.
     */
    public static String csv(Document d) {
        StringBuilder sb = new StringBuilder();
        for (Block b : d.blocks()) {
            if (b instanceof Fields f) {
                separate(sb);
                sb.append("field,value\r\n");
                String last = "";
                for (Field x : f.fields()) {
                    String label = x.label().isBlank() ? last : x.label().strip();
                    last = label;
                    sb.append(csvCell(label))
                            .append(',')
                            .append(csvCell(x.value().strip()))
                            .append("\r\n");
                }
            } else if (b instanceof Table t) {
                separate(sb);
                t.title()
                        .ifPresent(title ->
                                sb.append("# ").append(Printable.of(title)).append("\r\n"));
                for (int c = 0; c < t.columns().size(); c++) {
                    sb.append(c == 0 ? "" : ",")
                            .append(csvCell(t.columns().get(c).header()));
                }
                sb.append("\r\n");
                for (List<Cell> row : t.rows()) {
                    for (int c = 0; c < row.size(); c++) {
                        sb.append(c == 0 ? "" : ",").append(csvCell(row.get(c).raw()));
                    }
                    sb.append("\r\n");
                }
            } else if (!(b instanceof Paragraph) && !(b instanceof Bullets)) {
                throw unhandled(b);
            }
        }
        return sb.toString();
    }

    private static void separate(StringBuilder sb) {
        if (!sb.isEmpty()) {
            sb.append("\r\n");
        }
    }

    /**
     * RFC 4180 quoting, plus a leading apostrophe on cells a spreadsheet would run as a formula (=, +, -, @ followed
     * by a non-digit): a tensor name is data, never a formula.
     */
    private static String csvCell(String s) {
        String p = Printable.of(s);
        if (!p.isEmpty()
                && "=+-@".indexOf(p.charAt(0)) >= 0
                && !(p.length() > 1 && (Character.isDigit(p.charAt(1)) || p.charAt(1) == '.'))) {
            p = "'" + p;
        }
        if (p.indexOf(',') >= 0 || p.indexOf('"') >= 0 || p.indexOf('\'') == 0) {
            return '"' + p.replace("\"", "\"\"") + '"';
        }
        return p;
    }
}
