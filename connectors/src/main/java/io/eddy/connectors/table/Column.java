package io.eddy.connectors.table;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A named column of a {@link Table}: numeric, nominal (a fixed list of values, whose positions are the
 * values' indices) or text (free strings: an ARFF {@code string} attribute, or a CSV column with more
 * distinct values than a one-hot encoding should have; usable as a key only).
 */
public final class Column {
    /** What a column's values are. */
    public enum Type { NUMERIC, NOMINAL, TEXT }

    private final String name;
    private final Type type;
    private final List<String> values;
    private final Map<String, Integer> indices;

    private Column(final String name, final Type type, final List<String> values) {
        this.name = name;
        this.type = type;
        this.values = List.copyOf(values);
        this.indices = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            indices.put(values.get(i), i);
        }
    }

    /** A column of numbers. */
    public static Column numeric(final String name) {
        return new Column(name, Type.NUMERIC, List.of());
    }

    /** A column whose values are one of {@code values}, in that order. */
    public static Column nominal(final String name, final List<String> values) {
        return new Column(name, Type.NOMINAL, values);
    }

    /** A column of free text. */
    public static Column text(final String name) {
        return new Column(name, Type.TEXT, List.of());
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    /** A nominal column's values in their order (empty for the other types). */
    public List<String> values() {
        return values;
    }

    /** The index of a nominal column's {@code value}, or -1 when it is not one of its values. */
    public int indexOf(final String value) {
        final Integer index = indices.get(value);
        return index == null ? -1 : index;
    }

    @Override
    public String toString() {
        return switch (type) {
            case NUMERIC -> name + " (numeric)";
            case TEXT -> name + " (text)";
            case NOMINAL -> name + " {" + String.join(", ", values) + "}";
        };
    }
}
