package io.eddy.kernels.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain-text table with aligned columns, each left- ({@code 'l'}) or right-aligned ({@code 'r'}). */
final class Table {

    private final String align;
    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();

    /**
     * @param align one {@code 'l'} or {@code 'r'} per column, e.g. {@code "llrr"}
     * @param headers the column titles
     */
    Table(final String align, final String... headers) {
        if (align.length() != headers.length || !align.matches("[lr]*")) {
            throw new IllegalArgumentException("alignment '" + align + "' for " + headers.length + " columns");
        }
        this.align = align;
        this.headers = headers.clone();
    }

    void row(final String... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("expected " + headers.length + " cells, got " + cells.length);
        }
        rows.add(cells.clone());
    }

    void print(final PrintStream out, final String indent) {
        final int[] widths = new int[headers.length];
        for (int c = 0; c < headers.length; c++) {
            widths[c] = headers[c].length();
            for (final String[] row : rows) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        out.println(indent + line(headers, widths));
        final StringBuilder rule = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            rule.append(c == 0 ? "" : "  ").append("-".repeat(widths[c]));
        }
        out.println(indent + rule);
        for (final String[] row : rows) {
            out.println(indent + line(row, widths));
        }
        out.flush();
    }

    private String line(final String[] cells, final int[] widths) {
        final StringBuilder sb = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                sb.append("  ");
            }
            final String pad = " ".repeat(widths[c] - cells[c].length());
            if (align.charAt(c) == 'l') {
                sb.append(cells[c]).append(c == cells.length - 1 ? "" : pad);
            } else {
                sb.append(pad).append(cells[c]);
            }
        }
        return sb.toString();
    }

    /** About four significant digits, {@code "-"} when absent (not finite). */
    static String figure(final double value) {
        if (!Double.isFinite(value)) {
            return "-";
        }
        final double a = Math.abs(value);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%.0f", value);
        } else if (a >= 100) {
            return String.format(Locale.ROOT, "%.1f", value);
        } else if (a >= 10) {
            return String.format(Locale.ROOT, "%.2f", value);
        } else if (a >= 1 || a == 0) {
            return String.format(Locale.ROOT, "%.3f", value);
        }
        return String.format(Locale.ROOT, "%.4g", value);
    }

    /** A share of a peak as a percentage, {@code "-"} when absent. */
    static String percent(final double share) {
        return Double.isFinite(share) ? String.format(Locale.ROOT, "%.1f%%", 100 * share) : "-";
    }

    /** A ratio such as {@code "12.3x"}, {@code "-"} when absent. */
    static String times(final double ratio) {
        return Double.isFinite(ratio) ? figure(ratio) + "x" : "-";
    }
}
