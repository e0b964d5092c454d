package io.eddy.learners.dense;

import io.eddy.learners.api.DenseParameters;
import java.util.SplittableRandom;

/**
 * Continual backprop (Dohare et al., 2024) for the hidden layers of a net: every unit keeps a running
 * utility, the decayed mean of its contribution to the net's output, and an age in training steps; each
 * step, a fraction {@code rate} of the mature units of a layer (older than {@code maturity} steps) is
 * replaced: those with the lowest utility get fresh input weights, drawn as at initialisation, and
 * zero outgoing weights, so that the net's answers do not jump and the unit can learn anew. Without it
 * a net that has learned one task loses the plasticity to learn the next (dead and saturated units).
 *
 * <p>What "contribution" means belongs to the learner ({@link #observe}); replacing a unit's weights
 * too ({@link UnitReset}). The utilities, ages and each layer's fractional count of replacements due
 * live in the learner's parameters, so that a restarted engine replaces exactly the units an
 * uninterrupted one would.
 */
public final class UnitReplacement {
    /** Rewrites unit {@code unit} of hidden layer {@code layer}: new input weights, zero outgoing ones. */
    @FunctionalInterface
    public interface UnitReset {
        void reset(int layer, int unit, SplittableRandom random);
    }

    private final DenseParameters parameters;
    private final float[] values;
    private final int at;
    private final int layers;
    private final int units;
    private final float decay;
    private final int maturity;
    private double rate;
    private long replaced;

    /**
     * @param at the first of {@link #floats} parameter floats this keeps its state in
     * @param units units per hidden layer
     * @param rate fraction of a layer's mature units replaced per step (0: none)
     * @param maturity steps a unit is left alone after it is created
     * @param decay of the running utility, per step
     */
    public UnitReplacement(final DenseParameters parameters, final int at, final int layers, final int units,
                           final double rate, final int maturity, final double decay) {
        if (rate < 0 || rate > 1 || maturity < 0 || decay < 0 || decay >= 1) {
            throw new IllegalArgumentException("need 0 <= rate <= 1, maturity >= 0 and 0 <= decay < 1");
        }
        this.parameters = parameters;
        this.values = parameters.values();
        this.at = at;
        this.layers = layers;
        this.units = units;
        this.rate = rate;
        this.maturity = maturity;
        this.decay = (float) decay;
    }

    /** Parameter floats of the state: utility and age of every unit, and each layer's replacements due. */
    public static int floats(final int layers, final int units) {
        return layers * (2 * units + 1);
    }

    /** Whether units are replaced at all; when not, {@link #observe} need not be called. */
    public boolean active() {
        return rate > 0;
    }

    /** Changes the replacement rate (the state carries over). */
    public void rate(final double newRate) {
        if (newRate < 0 || newRate > 1) {
            throw new IllegalArgumentException("the replacement rate must lie in [0, 1]");
        }
        this.rate = newRate;
    }

    /** Units replaced by this instance so far (not persisted: a figure for reports). */
    public long replaced() {
        return replaced;
    }

    /** The running utility of a unit. */
    public float utility(final int layer, final int unit) {
        return values[utilityAt(layer) + unit];
    }

    /** Training steps since a unit was created or last replaced (counted up to {@code maturity + 1}). */
    public int age(final int layer, final int unit) {
        return (int) values[ageAt(layer) + unit];
    }

    /**
     * Folds one step's contribution of each unit of {@code layer} ({@code units} values, non-negative
     * for a useful unit) into its utility, and ages the layer's units by one step.
     */
    public void observe(final int layer, final float[] contribution) {
        final int u = utilityAt(layer);
        final int a = ageAt(layer);
        for (int j = 0; j < units; j++) {
            final float c = contribution[j];
            if (Float.isFinite(c)) {
                values[u + j] = decay * values[u + j] + (1 - decay) * c;
            }
            if (values[a + j] <= maturity) {
                values[a + j] += 1f;
            }
        }
        parameters.markChanged(u, units);
        parameters.markChanged(a, units);
    }

    /**
     * The seed of a replaced unit's fresh weights, its own for every (seed, step, layer, unit): a plain
     * sum of them repeated (step + 1, unit) at (step, unit + 31), and two units drawn alike stay alike.
     */
    static long drawSeed(final long seed, final long step, final int layer, final int unit) {
        return mix(mix(mix(mix(seed) ^ step) ^ layer) ^ unit);
    }

    /** MurmurHash3's 64-bit finaliser: a bijection that spreads every input bit over the output. */
    private static long mix(final long value) {
        long z = (value ^ (value >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /**
     * Replaces this step's share of each layer's mature units, lowest utility first, through
     * {@code reset}; {@code step} seeds the draws, so that a replay replaces the same way.
     *
     * @return units replaced
     */
    public int replace(final long seed, final long step, final UnitReset reset) {
        int count = 0;
        for (int l = 0; l < layers; l++) {
            final int a = ageAt(l);
            int mature = 0;
            for (int j = 0; j < units; j++) {
                mature += values[a + j] > maturity ? 1 : 0;
            }
            final int dueAt = at + l * (2 * units + 1) + 2 * units;
            double due = values[dueAt] + rate * mature;
            while (due >= 1 && mature > 0) {
                final int unit = leastUseful(l);
                reset.reset(l, unit, new SplittableRandom(drawSeed(seed, step, l, unit)));
                values[utilityAt(l) + unit] = 0f;
                values[a + unit] = 0f;
                parameters.markChanged(utilityAt(l) + unit);
                parameters.markChanged(a + unit);
                due -= 1;
                mature--;
                count++;
            }
            values[dueAt] = (float) due;
            parameters.markChanged(dueAt);
        }
        replaced += count;
        return count;
    }

    /** The mature unit of a layer with the lowest utility (the first of ties). */
    private int leastUseful(final int layer) {
        final int u = utilityAt(layer);
        final int a = ageAt(layer);
        int best = -1;
        for (int j = 0; j < units; j++) {
            if (values[a + j] > maturity && (best < 0 || values[u + j] < values[u + best])) {
                best = j;
            }
        }
        return best;
    }

    private int utilityAt(final int layer) {
        return at + layer * (2 * units + 1);
    }

    private int ageAt(final int layer) {
        return utilityAt(layer) + units;
    }
}
