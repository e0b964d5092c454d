package io.eddy.learners.ftrl;

import io.eddy.learners.api.Footprint;
import io.eddy.learners.api.HyperParameter;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.api.SparseExample;
import java.util.List;
import java.util.Map;

/**
 * The {@code "ftrl"} learner type: FTRL-Proximal logistic regression over hashed sparse features,
 * for click-through style binary prediction. See {@link FtrlLearner}.
 */
public final class FtrlType implements LearnerType<SparseExample> {
    /** The name admin commands use. */
    public static final String NAME = "ftrl";

    static final String ALPHA = "alpha";
    static final String BETA = "beta";
    static final String L1 = "l1";
    static final String L2 = "l2";
    static final String HASH_BITS = "hashBits";

    private static final List<HyperParameter> PARAMETERS = List.of(
            HyperParameter.real(ALPHA, 0.1, 1e-6, 10, true,
                    "Learning-rate scale: a feature seen with squared gradients summing to n moves at rate "
                            + "alpha / (beta + sqrt(n)). Larger learns and forgets faster."),
            HyperParameter.real(BETA, 1.0, 0, 100, true,
                    "Learning-rate smoothing: keeps the first steps of a new feature from being too large "
                            + "(1 is usually enough)."),
            HyperParameter.real(L1, 1.0, 0, 1000, true,
                    "L1 regularisation: a weight stays exactly zero until its accumulated gradient exceeds "
                            + "l1, which keeps rare features out of the model."),
            HyperParameter.real(L2, 1.0, 0, 1000, true,
                    "L2 regularisation: shrinks every non-zero weight towards zero."),
            HyperParameter.whole(HASH_BITS, 20, 4, 26, false,
                    "The model holds 2^hashBits weights that feature hashes are folded into; more bits mean "
                            + "fewer collisions and more memory (8 bytes per weight). Fixed at creation."));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<HyperParameter> hyperParameters() {
        return PARAMETERS;
    }

    @Override
    public SparseExample newExample() {
        return new SparseExample();
    }

    /**
     * z and n of every hashed weight, and the changed-block list beside them: 512 MiB and 16 MiB at the largest
     * {@code hashBits}, so that an engine too small for the table refuses the create.
     */
    @Override
    public Footprint footprint(final Map<String, Double> resolved) {
        final double weights = Math.pow(2, resolved.get(HASH_BITS));
        final double blocks = 2 * weights / FtrlLearner.FLOATS_PER_BLOCK;
        return Footprint.floats(2 * weights).plus(Footprint.ints(blocks)).plus(Footprint.longs(blocks / 64));
    }

    @Override
    public OnlineLearner<SparseExample> create(final Map<String, Double> resolved) {
        return new FtrlLearner(FtrlConfig.from(resolved));
    }

    @Override
    public boolean mergesReplicas() {
        return true;
    }

    @Override
    public boolean takesLateLabels() {
        return true;
    }
}
