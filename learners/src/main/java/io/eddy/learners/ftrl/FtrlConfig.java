package io.eddy.learners.ftrl;

import io.eddy.learners.api.InvalidConfigException;
import java.util.Map;

/**
 * Hyper-parameters of an FTRL-Proximal learner, already checked against {@link FtrlType}'s ranges.
 * The constructor still rejects values the formulas cannot use, naming the field, so a config built
 * by hand fails here rather than as NaN weights later.
 *
 * @param alpha learning-rate scale (per-coordinate rate is alpha / (beta + sqrt(n)))
 * @param beta learning-rate smoothing for rarely seen features
 * @param l1 L1 strength; weights with |z| at or below it are exactly zero
 * @param l2 L2 strength
 * @param hashBits the model holds 2^hashBits weights; fixed for a model's lifetime
 */
public record FtrlConfig(double alpha, double beta, double l1, double l2, int hashBits) {

    /** Above this, 2 * 2^hashBits floats no longer fit in one Java array. */
    static final int MAX_HASH_BITS = 29;

    public FtrlConfig {
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new InvalidConfigException("ftrl: alpha must be a positive finite number, got " + alpha);
        }
        requireNonNegative("beta", beta);
        requireNonNegative("l1", l1);
        requireNonNegative("l2", l2);
        if (hashBits < 1 || hashBits > MAX_HASH_BITS) {
            throw new InvalidConfigException("ftrl: hashBits must be in [1, " + MAX_HASH_BITS + "], got " + hashBits);
        }
    }

    /**
     * Reads a config from the map returned by {@code HyperParameters.resolve(FtrlType.hyperParameters(), ...)}.
     *
     * @throws InvalidConfigException naming a missing or unusable parameter
     */
    public static FtrlConfig from(final Map<String, Double> resolved) {
        final double hashBits = get(resolved, FtrlType.HASH_BITS);
        if (hashBits != Math.rint(hashBits)) {
            throw new InvalidConfigException("ftrl: hashBits must be a whole number, got " + hashBits);
        }
        return new FtrlConfig(
                get(resolved, FtrlType.ALPHA),
                get(resolved, FtrlType.BETA),
                get(resolved, FtrlType.L1),
                get(resolved, FtrlType.L2),
                (int) hashBits);
    }

    /** Number of hashed weights, 2^hashBits. */
    public int weightCount() {
        return 1 << hashBits;
    }

    private static double get(final Map<String, Double> resolved, final String name) {
        final Double value = resolved.get(name);
        if (value == null) {
            throw new InvalidConfigException("ftrl: missing parameter '" + name + "'");
        }
        return value;
    }

    private static void requireNonNegative(final String name, final double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new InvalidConfigException("ftrl: " + name + " must be a non-negative finite number, got " + value);
        }
    }
}
