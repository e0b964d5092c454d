package io.eddy.learners.api;

import java.util.Objects;

/**
 * One hyper-parameter of a learner type: its name, default, inclusive range, whether it must be a
 * whole number, whether an operator may change it on a running model, and what it does.
 */
public record HyperParameter(
        String name,
        double defaultValue,
        double min,
        double max,
        boolean integer,
        boolean updatable,
        String doc) {

    public HyperParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(doc, "doc");
        if (!(min <= defaultValue && defaultValue <= max)) {
            throw new IllegalArgumentException("default of " + name + " outside [" + min + ", " + max + "]");
        }
    }

    /** A real-valued parameter. */
    public static HyperParameter real(
            final String name, final double defaultValue, final double min, final double max,
            final boolean updatable, final String doc) {
        return new HyperParameter(name, defaultValue, min, max, false, updatable, doc);
    }

    /** A whole-number parameter. */
    public static HyperParameter whole(
            final String name, final int defaultValue, final int min, final int max,
            final boolean updatable, final String doc) {
        return new HyperParameter(name, defaultValue, min, max, true, updatable, doc);
    }
}
