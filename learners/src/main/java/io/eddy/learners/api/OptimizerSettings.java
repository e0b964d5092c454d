package io.eddy.learners.api;

/** Checks of the settings the dense learners' optimisers share, for their configs to refuse what cannot learn. */
public final class OptimizerSettings {
    private OptimizerSettings() {
    }

    /**
     * A positive, finite step; with Adam, decays in [0, 1): what a learner needs to run at all, checked
     * whenever one is built (a model's stored settings included).
     *
     * @throws InvalidConfigException naming the setting
     */
    public static void check(final String type, final boolean adam, final double learningRate, final double beta1,
                             final double beta2) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new InvalidConfigException(type + ": learningRate must be a positive finite number, got "
                    + learningRate);
        }
        if (!adam) {
            return;
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new InvalidConfigException(type + ": beta1 and beta2 must lie in [0, 1), got " + beta1 + " and "
                    + beta2);
        }
    }

    /**
     * Adam's decays with {@code beta1² < √beta2}, Kingma and Ba's condition: past it a long memory of the mean
     * gradient is divided by a short one of its size, and the step after a small gradient is enormous (beta2 0
     * with beta1 0.9 drove an rtrl regression to 1e11). Checked when a model is created, not when a stored one
     * is built, so that a model made before the check still runs.
     */
    public static void adamConverges(final String type, final boolean adam, final double beta1, final double beta2) {
        if (adam && !(beta1 * beta1 < Math.sqrt(beta2))) {
            throw new InvalidConfigException(type + ": beta1 " + beta1 + " is too slow for beta2 " + beta2
                    + ": Adam needs beta1² < √beta2, or a step after a small gradient is enormous");
        }
    }

    /** A finite value of at least {@code min}. */
    public static void atLeast(final String type, final String name, final double value, final double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new InvalidConfigException(type + ": " + name + " must be a finite number from " + min + ", got "
                    + value);
        }
    }

    /** A value in [0, 1) (a decay), or [0, 1] when {@code upToOne}. */
    public static void fraction(final String type, final String name, final double value, final boolean upToOne) {
        if (!(value >= 0 && (upToOne ? value <= 1 : value < 1))) {
            throw new InvalidConfigException(type + ": " + name + " must lie in [0, 1" + (upToOne ? "]" : ")")
                    + ", got " + value);
        }
    }
}
