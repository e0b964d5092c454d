package io.eddy.learners.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Validates hyper-parameter values against a type's declarations; the edge where maps end. */
public final class HyperParameters {
    private HyperParameters() {
    }

    /**
     * Returns every declared parameter with its given value or its default, in declaration order.
     *
     * @throws InvalidConfigException naming the first unknown, non-finite, out-of-range or
     *     fractional-where-whole parameter
     */
    public static Map<String, Double> resolve(final List<HyperParameter> specs, final Map<String, Double> given) {
        final Map<String, Double> resolved = new LinkedHashMap<>();
        for (final String name : given.keySet()) {
            if (find(specs, name) == null) {
                throw new InvalidConfigException("unknown parameter '" + name + "'; known: " + names(specs));
            }
        }
        for (final HyperParameter spec : specs) {
            final Double value = given.get(spec.name());
            final double v = value == null ? spec.defaultValue() : value;
            check(spec, v);
            resolved.put(spec.name(), v);
        }
        return Collections.unmodifiableMap(resolved);
    }

    /** Refuses a value {@code spec} does not take: non-finite, out of range, or fractional where whole. */
    private static void check(final HyperParameter spec, final double v) {
        if (!Double.isFinite(v)) {
            throw new InvalidConfigException("parameter '" + spec.name() + "' must be a finite number");
        }
        if (v < spec.min() || v > spec.max()) {
            throw new InvalidConfigException("parameter '" + spec.name() + "' = " + format(v)
                    + " is outside [" + format(spec.min()) + ", " + format(spec.max()) + "]");
        }
        if (spec.integer() && v != Math.rint(v)) {
            throw new InvalidConfigException("parameter '" + spec.name() + "' must be a whole number, got " + v);
        }
    }

    /**
     * Turns values as commands give them (numbers, or option names for {@link HyperParameter#isChoice()
     * choices}) into numbers for {@link #resolve} and {@link #update}. Names it does not know pass through
     * as 0 for {@link #resolve} to report.
     *
     * @throws InvalidConfigException for a name that is not one of a choice's options, or a text where a
     *     number is due
     */
    public static Map<String, Double> coerce(final List<HyperParameter> specs, final Map<String, ?> given) {
        final Map<String, Double> numbers = new LinkedHashMap<>();
        for (final Map.Entry<String, ?> entry : given.entrySet()) {
            final HyperParameter spec = find(specs, entry.getKey());
            numbers.put(entry.getKey(), spec == null ? 0.0 : coerce(spec, entry.getValue()));
        }
        return numbers;
    }

    private static double coerce(final HyperParameter spec, final Object value) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        final String text = String.valueOf(value).trim();
        if (spec.isChoice()) {
            final int index = spec.choices().indexOf(text);
            if (index >= 0) {
                return index;
            }
            throw new InvalidConfigException("parameter '" + spec.name() + "' must be one of "
                    + String.join(", ", spec.choices()) + "; got '" + text + "'");
        }
        try {
            return Double.parseDouble(text);
        } catch (final NumberFormatException e) {
            throw new InvalidConfigException("parameter '" + spec.name() + "' must be a number, got '" + text + "'");
        }
    }

    /** The resolved values as users write them: option names for choices, numbers otherwise. */
    public static Map<String, Object> display(final List<HyperParameter> specs, final Map<String, Double> resolved) {
        final Map<String, Object> shown = new LinkedHashMap<>();
        resolved.forEach((name, value) -> {
            final HyperParameter spec = find(specs, name);
            shown.put(name, spec != null && spec.isChoice() ? spec.choiceOf(value) : value);
        });
        return shown;
    }

    /**
     * Merges {@code changes} into {@code current} for a running model. The changes must lie in today's ranges;
     * the values not changed are kept as stored, so that a model made before a range narrowed can still be
     * updated (its learning rate brought into range, say).
     *
     * @throws InvalidConfigException as {@link #resolve} for a change, or when a change touches a parameter
     *     that is not {@link HyperParameter#updatable()}
     */
    public static Map<String, Double> update(
            final List<HyperParameter> specs, final Map<String, Double> current, final Map<String, Double> changes) {
        for (final String name : changes.keySet()) {
            if (find(specs, name) == null) {
                throw new InvalidConfigException("unknown parameter '" + name + "'; known: " + names(specs));
            }
        }
        final Map<String, Double> resolved = new LinkedHashMap<>();
        for (final HyperParameter spec : specs) {
            final Double stored = current.get(spec.name());
            final double before = stored != null ? stored : spec.defaultValue();
            final Double change = changes.get(spec.name());
            if (change == null) {
                // kept as stored, even where a range has narrowed since the model was made: it runs with it
                resolved.put(spec.name(), before);
                continue;
            }
            check(spec, change);
            if (!spec.updatable() && before != change) {
                throw new InvalidConfigException("parameter '" + spec.name()
                        + "' cannot change on a running model; create a new model instead");
            }
            resolved.put(spec.name(), change);
        }
        return Collections.unmodifiableMap(resolved);
    }

    /** The declaration named {@code name}, or {@code null}. */
    private static HyperParameter find(final List<HyperParameter> specs, final String name) {
        for (final HyperParameter spec : specs) {
            if (spec.name().equals(name)) {
                return spec;
            }
        }
        return null;
    }

    private static String names(final List<HyperParameter> specs) {
        final StringBuilder sb = new StringBuilder();
        for (final HyperParameter spec : specs) {
            sb.append(sb.length() == 0 ? "" : ", ").append(spec.name());
        }
        return sb.toString();
    }

    private static String format(final double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
