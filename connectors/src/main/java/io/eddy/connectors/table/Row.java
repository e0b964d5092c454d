package io.eddy.connectors.table;

import java.util.Arrays;

/**
 * One data row of a {@link Table}, a holder that its {@link RowCursor} refills: per column the text as
 * written and its value (the number, or a nominal value's index), or nothing when the value is missing.
 */
public final class Row {
    private final String[] texts;
    private final double[] values;
    private long index = -1;
    private long line;

    Row(final int columns) {
        texts = new String[columns];
        values = new double[columns];
    }

    /** Starts the next row: every value missing until set. */
    void reset(final long rowIndex, final long lineNumber) {
        index = rowIndex;
        line = lineNumber;
        Arrays.fill(texts, null);
        Arrays.fill(values, Double.NaN);
    }

    void set(final int column, final String text, final double value) {
        texts[column] = text;
        values[column] = value;
    }

    /** The row's index among the data rows of its file, from 0. */
    public long index() {
        return index;
    }

    /** The line of the file where the row starts, from 1. */
    public long line() {
        return line;
    }

    /** Whether the column's value is missing (empty in a CSV, {@code ?} in an ARFF file). */
    public boolean missing(final int column) {
        return texts[column] == null;
    }

    /** The column's value as written (unquoted), null when missing. */
    public String text(final int column) {
        return texts[column];
    }

    /** A numeric column's number or a nominal column's value index; NaN for text and missing values. */
    public double value(final int column) {
        return values[column];
    }

    /** Whether any column's value is missing. */
    public boolean anyMissing() {
        for (final String text : texts) {
            if (text == null) {
                return true;
            }
        }
        return false;
    }
}
