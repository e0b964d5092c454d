package io.eddy.connectors.table;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a table's rows into Eddy's dense events: {@code {"id":"r7","x":[..],"label":2}} for
 * classification, {@code {"id":"r7","x":[..],"y":[3.5]}} for regression.
 *
 * <p>{@code x} holds every column but the label and the key, in column order: a numeric column as its
 * value, a nominal one one-hot, one element per value in the column's order (an ARFF attribute's
 * declaration order, a CSV column's order of first appearance). A classification label is the index of
 * a nominal label's value, or a numeric label's whole value itself. The id is the key column's value, or
 * {@code r} and the row's index in the file (from 0, skipped rows counted) when there is no key column;
 * the record key is the key column's value, or null. A row with a missing value in any of these columns
 * makes no event.
 */
public final class DenseEventEncoder {
    /** What the label is for. */
    public enum Task {
        CLASSIFICATION, REGRESSION;

        /** As the {@code task} parameter of a model names it. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Table table;
    private final int label;
    private final int key;
    private final Task task;
    private final int classes;
    private final int[] inputColumns;
    private final int inputs;
    private final StringBuilder json = new StringBuilder(256);
    private String recordKey;
    private byte[] value;

    /**
     * @param label the label column
     * @param key the key column, or -1 for none
     * @param classes the number of classes of a numeric classification label (its labels are 0..classes - 1);
     *     ignored otherwise
     * @throws IllegalArgumentException when a text column would be an input or the label, the label does not
     *     fit the task, or the label is the key
     */
    public DenseEventEncoder(final Table table, final int label, final int key, final Task task, final int classes) {
        this.table = table;
        this.label = label;
        this.key = key;
        this.task = task;
        final List<Column> columns = table.columns();
        final Column target = columns.get(label);
        if (label == key) {
            throw new IllegalArgumentException("column '" + target.name() + "' cannot be both the label and the key");
        }
        requireNotText(target, "the label");
        if (task == Task.REGRESSION && target.type() != Column.Type.NUMERIC) {
            throw new IllegalArgumentException("regression needs a numeric label, but column '" + target.name()
                    + "' is nominal; use classification");
        }
        this.classes = task == Task.REGRESSION ? 1
                : target.type() == Column.Type.NOMINAL ? target.values().size() : classes;
        final List<Integer> used = new ArrayList<>();
        int width = 0;
        for (int i = 0; i < columns.size(); i++) {
            if (i != label && i != key) {
                requireNotText(columns.get(i), "an input");
                used.add(i);
                width += width(columns.get(i));
            }
        }
        this.inputColumns = used.stream().mapToInt(Integer::intValue).toArray();
        this.inputs = width;
    }

    private static void requireNotText(final Column column, final String role) {
        if (column.type() == Column.Type.TEXT) {
            throw new IllegalArgumentException("column '" + column.name() + "' is text (an ARFF string, or more than "
                    + CsvTable.MAX_NOMINAL_VALUES + " distinct values in a CSV), so it cannot be " + role
                    + ": make it the key, or leave it out of the file");
        }
    }

    private static int width(final Column column) {
        return column.type() == Column.Type.NOMINAL ? column.values().size() : 1;
    }

    /** The length of {@code x}. */
    public int inputs() {
        return inputs;
    }

    /** The number of classes, or 1 (the length of {@code y}) for regression. */
    public int outputs() {
        return classes;
    }

    public Task task() {
        return task;
    }

    /** What each element of {@code x} is: a numeric column's name, or {@code column=value} for one-hot ones. */
    public List<String> inputNames() {
        final List<String> names = new ArrayList<>(inputs);
        for (final int column : inputColumns) {
            final Column input = table.columns().get(column);
            if (input.type() == Column.Type.NOMINAL) {
                input.values().forEach(value -> names.add(input.name() + "=" + value));
            } else {
                names.add(input.name());
            }
        }
        return names;
    }

    /**
     * Makes the row's event, or nothing when one of its values is missing.
     *
     * @return whether it made one
     * @throws MalformedTableException when a numeric classification label is not one of the classes
     */
    public boolean encode(final Row row) throws MalformedTableException {
        if (row.missing(label) || (key >= 0 && row.missing(key))) {
            return false;
        }
        for (final int column : inputColumns) {
            if (row.missing(column)) {
                return false;
            }
        }
        recordKey = key >= 0 ? row.text(key) : null;
        final StringBuilder sb = json;
        sb.setLength(0);
        sb.append("{\"id\":\"");
        if (recordKey != null) {
            JsonStringEncoder.getInstance().quoteAsString(recordKey, sb);
        } else {
            sb.append('r').append(row.index());
        }
        sb.append("\",\"x\":[");
        appendInputs(sb, row);
        sb.append(']');
        if (task == Task.REGRESSION) {
            sb.append(",\"y\":[");
            appendNumber(sb, row.value(label));
            sb.append(']');
        } else {
            sb.append(",\"label\":").append(classOf(row));
        }
        value = sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
        return true;
    }

    private void appendInputs(final StringBuilder sb, final Row row) {
        boolean first = true;
        for (final int column : inputColumns) {
            final Column input = table.columns().get(column);
            if (input.type() == Column.Type.NOMINAL) {
                final int hot = (int) row.value(column);
                for (int i = 0; i < input.values().size(); i++) {
                    sb.append(first ? "" : ",").append(i == hot ? '1' : '0');
                    first = false;
                }
            } else {
                if (!first) {
                    sb.append(',');
                }
                appendNumber(sb, row.value(column));
                first = false;
            }
        }
    }

    private int classOf(final Row row) throws MalformedTableException {
        final double labelValue = row.value(label);
        if (!LabelStats.isClassIndex(labelValue) || labelValue >= classes) {
            throw new MalformedTableException(table.path(), row.line(), "label '" + row.text(label) + "' is not a "
                    + "class: expected a whole number from 0 to " + (classes - 1));
        }
        return (int) labelValue;
    }

    /** As a 32-bit float, as the engine reads it: whole values without a decimal point. */
    private static void appendNumber(final StringBuilder sb, final double number) {
        final float value = (float) number;
        final int whole = (int) value;
        if (whole == value) {
            sb.append(whole); // -0.0 becomes 0
        } else {
            sb.append(value);
        }
    }

    /** The last event's record key: the key column's value, or null without a key column. */
    public String key() {
        return recordKey;
    }

    /** The last event as JSON (UTF-8). */
    public byte[] value() {
        return value;
    }
}
