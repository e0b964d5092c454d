package io.eddy.connectors.table;

import java.io.IOException;

/**
 * One pass over a table: how many rows it has, how many of them have no missing value, and what a
 * numeric label column holds, which decides the classes when its whole numbers are class indices. The
 * pass also checks every row, so a malformed one is found before anything is sent.
 */
public final class LabelStats {
    private long rows;
    private long complete;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private String notAClass;
    private long notAClassLine;

    private LabelStats() {
    }

    /** Reads every row of {@code table}, looking at the label in column {@code label}. */
    public static LabelStats scan(final Table table, final int label) throws IOException {
        final LabelStats stats = new LabelStats();
        final boolean numeric = table.columns().get(label).type() == Column.Type.NUMERIC;
        try (RowCursor rows = table.rows()) {
            while (rows.next()) {
                final Row row = rows.row();
                stats.rows++;
                stats.complete += row.anyMissing() ? 0 : 1;
                if (numeric && !row.missing(label)) {
                    stats.add(row.value(label), row.text(label), row.line());
                }
            }
        }
        return stats;
    }

    private void add(final double value, final String text, final long line) {
        min = Math.min(min, value);
        max = Math.max(max, value);
        if (notAClass == null && !isClassIndex(value)) {
            notAClass = text;
            notAClassLine = line;
        }
    }

    /** Whether a numeric label can be a class index: a whole number from 0 to {@link Integer#MAX_VALUE} - 1. */
    static boolean isClassIndex(final double value) {
        return value >= 0 && value < Integer.MAX_VALUE && value == Math.rint(value);
    }

    /** Data rows. */
    public long rows() {
        return rows;
    }

    /** Rows without a missing value: the events a replay of the whole file makes. */
    public long complete() {
        return complete;
    }

    /** The smallest numeric label, +infinity when there is none. */
    public double min() {
        return min;
    }

    /** The largest numeric label, -infinity when there is none. */
    public double max() {
        return max;
    }

    /** The first numeric label that is not a whole number >= 0, as written; null when all are. */
    public String notAClass() {
        return notAClass;
    }

    /** The line of {@link #notAClass()}. */
    public long notAClassLine() {
        return notAClassLine;
    }
}
