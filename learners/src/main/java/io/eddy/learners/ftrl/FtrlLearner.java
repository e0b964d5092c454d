package io.eddy.learners.ftrl;

import io.eddy.learners.api.DenseParameters;
import io.eddy.learners.api.FeatureHasher;
import io.eddy.learners.api.InvalidConfigException;
import io.eddy.learners.api.NonFiniteUpdateException;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.api.ParameterState;
import io.eddy.learners.api.PrequentialMetrics;
import io.eddy.learners.api.SparseExample;
import java.util.Map;

/**
 * FTRL-Proximal logistic regression over hashed sparse features (McMahan et al. 2013, "Ad Click
 * Prediction: a View from the Trenches", Algorithm 1).
 *
 * <p>State is one {@link DenseParameters} of {@code 2 * 2^hashBits} floats, z and n interleaved
 * ({@code values[2i] = z_i}, {@code values[2i + 1] = n_i}), so one feature's pair always sits in
 * one block. Weights are not stored: they are derived from z and n when needed, as in the paper,
 * which is what makes L1 give exact zeros. A feature hash {@code h} uses slot
 * {@code h & (2^hashBits - 1)}; the bias ({@link FeatureHasher#BIAS}, value 1) is always added,
 * so decoders must not add it.
 *
 * <p>Several features of one example may fold into the same slot (hash collisions, or a decoder
 * that repeats a feature). They are treated as one feature whose value is the sum of theirs: the
 * example is exactly the vector {@code x} with {@code x_i = sum of the values in slot i}, so the
 * gradient for slot i is {@code (p - y) * x_i} and z, n are updated once per slot.
 *
 * <p>Allocates nothing per event; its scratch arrays grow only when an example has more distinct
 * features than any before it. One thread calls it.
 */
public final class FtrlLearner implements OnlineLearner<SparseExample> {
    /** 16 floats = 8 features per persisted block: a commit writes little more than what learning touched. */
    static final int FLOATS_PER_BLOCK = 16;
    /** exp(35) is far beyond any useful odds; clipping keeps the sigmoid and its loss finite. */
    private static final double MAX_LOGIT = 35.0;
    private static final int INITIAL_SCRATCH = 64;

    private final DenseParameters state;
    private final float[] zn;
    private final int mask;
    private final int biasSlot;
    private FtrlConfig config;
    private double alpha;
    private double beta;
    private double l1;
    private double l2;

    // Per-example scratch for learn: one entry per distinct slot in the example.
    private int[] slotIndex = new int[INITIAL_SCRATCH];
    private double[] slotValue = new double[INITIAL_SCRATCH];
    private double[] slotWeight = new double[INITIAL_SCRATCH];
    private int[] slotTablePos = new int[INITIAL_SCRATCH];
    private float[] newZ = new float[INITIAL_SCRATCH];
    private float[] newN = new float[INITIAL_SCRATCH];
    private int slots;
    // Open-addressing map slot index -> scratch entry + 1 (0 = empty), at most half full;
    // emptied after each example by visiting only the positions it used.
    private int[] table = new int[2 * INITIAL_SCRATCH];
    private int tableShift = 32 - Integer.numberOfTrailingZeros(2 * INITIAL_SCRATCH);

    public FtrlLearner(final FtrlConfig config) {
        this.state = new DenseParameters(2 * config.weightCount(), FLOATS_PER_BLOCK);
        this.zn = state.values();
        this.mask = config.weightCount() - 1;
        this.biasSlot = FeatureHasher.BIAS & mask;
        apply(config);
    }

    @Override
    public int outputSize() {
        return 1;
    }

    /** Writes the click probability into {@code out[0]}. */
    @Override
    public void predict(final SparseExample example, final float[] keyState, final float[] out) {
        final int count = example.count();
        final int[] indices = example.indices();
        final float[] values = example.values();
        double logit = weightAt(biasSlot);
        for (int k = 0; k < count; k++) {
            logit += weightAt(indices[k] & mask) * values[k];
        }
        out[0] = (float) sigmoid(logit);
    }

    /**
     * Takes one FTRL-Proximal step and returns the log loss of the prediction made before it.
     *
     * @throws IllegalArgumentException if the example has no label or a label other than 0 or 1
     * @throws NonFiniteUpdateException if a new z or n would not be a finite float; nothing is
     *     written then
     */
    @Override
    public float loss(final SparseExample example, final float[] prediction) {
        return (float) PrequentialMetrics.lossOf(prediction[0], example.label() == 1f);
    }

    @Override
    public float learn(final SparseExample example, final float[] keyState) {
        if (!example.labelled()) {
            throw new IllegalArgumentException("ftrl: cannot learn from an example without a label");
        }
        final float y = example.label();
        if (y != 0f && y != 1f) {
            throw new IllegalArgumentException("ftrl: label must be 0 or 1, got " + y);
        }
        final int count = example.count();
        ensureScratch(count + 1);

        // Gather distinct slots and score in the same order as predict, so the loss returned here
        // is exactly the loss of what predict would have answered.
        slots = 0;
        double logit = slotWeight[slotOf(biasSlot, 1.0)];
        final int[] indices = example.indices();
        final float[] values = example.values();
        for (int k = 0; k < count; k++) {
            final float x = values[k];
            logit += slotWeight[slotOf(indices[k] & mask, x)] * x;
        }
        final double p = sigmoid(logit);
        final float loss = (float) PrequentialMetrics.lossOf(p, y == 1f);

        // Compute every new (z, n) first and write only if all are finite, so a bad example
        // leaves state exactly as it was.
        final double residual = p - y;
        final float[] zAndN = zn;
        for (int s = 0; s < slots; s++) {
            final int at = slotIndex[s] << 1;
            final double g = residual * slotValue[s];
            final double n = zAndN[at + 1];
            final double nNext = n + g * g;
            final double sigma = (Math.sqrt(nNext) - Math.sqrt(n)) / alpha;
            final float z = (float) (zAndN[at] + g - sigma * slotWeight[s]);
            final float nf = (float) nNext;
            if (!Float.isFinite(z) || !Float.isFinite(nf)) {
                final int badSlot = slotIndex[s];
                final double badValue = slotValue[s];
                resetTable();
                throw new NonFiniteUpdateException("ftrl: update would make weight slot " + badSlot
                        + " non-finite (feature value " + badValue + ", prediction " + p + "); state unchanged");
            }
            newZ[s] = z;
            newN[s] = nf;
        }
        for (int s = 0; s < slots; s++) {
            final int at = slotIndex[s] << 1;
            zAndN[at] = newZ[s];
            zAndN[at + 1] = newN[s];
            state.markChanged(at);
            state.markChanged(at + 1);
        }
        resetTable();
        return loss;
    }

    @Override
    public ParameterState parameters() {
        return state;
    }

    /** Every z and n: a weight is a function of its pair, so replicas average both. */
    @Override
    public int[] replicaSpans() {
        return new int[] {0, 2 * config.weightCount()};
    }

    /**
     * Applies new alpha, beta, l1 and l2. Weights are derived from z and n, so the new values take
     * effect on the very next prediction.
     *
     * @throws InvalidConfigException if hashBits differs from the learner's
     */
    @Override
    public void reconfigure(final Map<String, Double> resolved) {
        final FtrlConfig next = FtrlConfig.from(resolved);
        if (next.hashBits() != config.hashBits()) {
            throw new InvalidConfigException("ftrl: hashBits cannot change on a running model (is "
                    + config.hashBits() + ", asked " + next.hashBits() + ")");
        }
        apply(next);
    }

    /** The current hyper-parameters. */
    public FtrlConfig config() {
        return config;
    }

    /** The current weight of the feature with hash {@code featureHash}, for inspection. */
    public double weight(final int featureHash) {
        return weightAt(featureHash & mask);
    }

    private void apply(final FtrlConfig next) {
        this.config = next;
        this.alpha = next.alpha();
        this.beta = next.beta();
        this.l1 = next.l1();
        this.l2 = next.l2();
    }

    /** The paper's lazy weight: 0 inside the L1 ball, else the closed-form proximal solution. */
    private double weightAt(final int slot) {
        final int at = slot << 1;
        final double z = zn[at];
        if (Math.abs(z) <= l1) {
            return 0.0;
        }
        final double n = zn[at + 1];
        final double scale = (beta + Math.sqrt(n)) / alpha + l2;
        // with beta, l1 and l2 all 0, a gradient so small that its square rounds to 0 leaves n at 0: no
        // step size yet, so no weight (the formula would divide by 0)
        return scale > 0 ? -(z - Math.signum(z) * l1) / scale : 0.0;
    }

    /**
     * Summed in double, finite float features and state cannot overflow the logit; it is NaN only
     * when a caller passes a NaN feature value (or infinities that cancel). Such an example carries no usable
     * evidence, so it is scored 0.5 rather than emitting NaN (and learning from it then fails the
     * finiteness check).
     */
    private static double sigmoid(final double logit) {
        if (Double.isNaN(logit)) {
            return 0.5;
        }
        final double clipped = Math.max(-MAX_LOGIT, Math.min(MAX_LOGIT, logit));
        return 1.0 / (1.0 + Math.exp(-clipped));
    }

    /** Returns the scratch entry for {@code slot}, adding {@code x} to its summed value. */
    private int slotOf(final int slot, final double x) {
        final int[] t = table;
        final int tableMask = t.length - 1;
        int pos = ((slot ^ (slot >>> 16)) * 0x9E3779B9) >>> tableShift;
        while (true) {
            final int entry = t[pos];
            if (entry == 0) {
                final int s = slots++;
                t[pos] = s + 1;
                slotIndex[s] = slot;
                slotValue[s] = x;
                slotWeight[s] = weightAt(slot);
                slotTablePos[s] = pos;
                return s;
            }
            if (slotIndex[entry - 1] == slot) {
                slotValue[entry - 1] += x;
                return entry - 1;
            }
            pos = (pos + 1) & tableMask;
        }
    }

    private void resetTable() {
        for (int s = 0; s < slots; s++) {
            table[slotTablePos[s]] = 0;
        }
        slots = 0;
    }

    /** Grows the scratch arrays (the only allocation in learn) when an example is the widest yet. */
    private void ensureScratch(final int needed) {
        if (needed <= slotIndex.length) {
            return;
        }
        final int capacity = Math.max(needed, 2 * slotIndex.length);
        slotIndex = new int[capacity];
        slotValue = new double[capacity];
        slotWeight = new double[capacity];
        slotTablePos = new int[capacity];
        newZ = new float[capacity];
        newN = new float[capacity];
        final int tableSize = Integer.highestOneBit(capacity - 1) << 2; // power of two, >= 2 * capacity
        table = new int[tableSize];
        tableShift = 32 - Integer.numberOfTrailingZeros(tableSize);
    }
}
