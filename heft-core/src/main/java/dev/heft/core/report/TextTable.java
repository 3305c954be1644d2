package dev.heft.core.report;

import dev.heft.core.error.SafeText;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table: a header row, a rule, then rows; numeric-looking columns are right-aligned. Used by every
 * human-readable report so they all look alike.
 */
public final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final boolean[] rightAligned;

    public TextTable(String... header) {
        this.header = List.of(header);
        this.rightAligned = new boolean[header.length];
    }

    /** Marks columns (0-based) to right-align; by default a column is right-aligned when every cell starts with a digit. */
    public TextTable alignRight(int... columns) {
        for (int c : columns) {
            rightAligned[c] = true;
        }
        return this;
    }

    public TextTable row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + header.size());
        }
        List<String> r = new ArrayList<>(cells.length);
        for (Object c : cells) {
            // Cells often hold a file's own strings (tensor names): one escaped line each, so columns stay columns.
            r.add(c == null ? "" : SafeText.escape(c.toString()));
        }
        rows.add(r);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public String render() {
        int cols = header.size();
        int[] width = new int[cols];
        boolean[] numeric = new boolean[cols];
        for (int c = 0; c < cols; c++) {
            width[c] = header.get(c).length();
            numeric[c] = !rows.isEmpty();
        }
        for (List<String> r : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], r.get(c).length());
                String cell = r.get(c);
                if (!cell.isEmpty() && !(Character.isDigit(cell.charAt(0)) || cell.charAt(0) == '-' && cell.length() > 1
                        && Character.isDigit(cell.charAt(1)))) {
                    numeric[c] = false;
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, width, numeric);
        for (int c = 0; c < cols; c++) {
            if (c > 0) {
                sb.append("  ");
            }
            sb.repeat('-', width[c]);
        }
        sb.append('\n');
        for (List<String> r : rows) {
            line(sb, r, width, numeric);
        }
        return sb.toString();
    }

    private void line(StringBuilder sb, List<String> cells, int[] width, boolean[] numeric) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                l.append("  ");
            }
            String cell = cells.get(c);
            int pad = width[c] - cell.length();
            if (rightAligned[c] || numeric[c]) {
                l.repeat(' ', pad).append(cell);
            } else {
                l.append(cell).repeat(' ', pad);
            }
        }
        // No trailing spaces: output pasted into docs and diffs stays clean.
        int end = l.length();
        while (end > 0 && l.charAt(end - 1) == ' ') {
            end--;
        }
        sb.append(l, 0, end).append('\n');
    }
}
