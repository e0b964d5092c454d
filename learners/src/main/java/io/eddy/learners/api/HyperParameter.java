package io.eddy.learners.api;

import java.util.List;
import java.util.Objects;

/**
 * One hyper-parameter of a learner type: its name, default, inclusive range, whether it must be a
 * whole number, whether an operator may change it on a running model, what it does, and, for a
 * choice among named options, the options (its value is then the option's index).
 */
public record HyperParameter(
        String name,
        double defaultValue,
        double min,
        double max,
        boolean integer,
        boolean updatable,
        String doc,
        List<String> choices) {

    public HyperParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(doc, "doc");
        choices = List.copyOf(choices);
        if (!(min <= defaultValue && defaultValue <= max)) {
            throw new IllegalArgumentException("default of " + name + " outside [" + min + ", " + max + "]");
        }
    }

    /** A real-valued parameter. */
    public static HyperParameter real(
            final String name, final double defaultValue, final double min, final double max,
            final boolean updatable, final String doc) {
        return new HyperParameter(name, defaultValue, min, max, false, updatable, doc, List.of());
    }

    /** A whole-number parameter. */
    public static HyperParameter whole(
            final String name, final int defaultValue, final int min, final int max,
            final boolean updatable, final String doc) {
        return new HyperParameter(name, defaultValue, min, max, true, updatable, doc, List.of());
    }

    /**
     * A choice among named options, given by name in commands ({@code "cell":"elstm"}) and resolved
     * to the option's index.
     */
    public static HyperParameter choice(
            final String name, final String defaultChoice, final List<String> choices,
            final boolean updatable, final String doc) {
        final int index = choices.indexOf(defaultChoice);
        if (index < 0) {
            throw new IllegalArgumentException("default of " + name + " is not one of " + choices);
        }
        return new HyperParameter(name, index, 0, choices.size() - 1, true, updatable, doc, choices);
    }

    /** Whether the value is an index into {@link #choices()}. */
    public boolean isChoice() {
        return !choices.isEmpty();
    }

    /** The option a resolved value names; only for {@link #isChoice() choices}. */
    public String choiceOf(final double value) {
        return choices.get((int) value);
    }
}
