package io.eddy.learners.ff;

import io.eddy.kernels.api.ComputeBackend;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.DenseParameters;
import io.eddy.learners.api.EventGroup;
import io.eddy.learners.api.Finite;
import io.eddy.learners.api.Footprint;
import io.eddy.learners.api.NonFiniteUpdateException;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.api.ParameterState;
import io.eddy.learners.dense.DeviceModel;
import io.eddy.learners.dense.PendingExamples;
import io.eddy.learners.dense.UnitReplacement;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What forward-forward and its backprop baseline share: a classifier of dense inputs whose weights
 * live on a compute backend ({@link DeviceModel}) and learn from micro-batches. Each event is answered
 * with the weights from before its micro-batch; labelled ones are kept ({@link PendingExamples}) until
 * {@code batch} of them make one training step. A {@link #step group} of events is answered in passes
 * of the net over many events at once (one product per layer rather than one per event), each pass
 * ending with the event that completes a micro-batch, so that every event sees the weights it would
 * one by one. With a {@code replacementRate}, continual backprop ({@link UnitReplacement}) replaces
 * the hidden units of least use after each step. With {@code answerAverage}, answers read a running
 * average of the weights ({@link DeviceModel#answering}). Parameters: the weights, Adam's moments and the
 * average ({@link DeviceModel#floats}), then bookkeeping, then the units' utilities and ages, then the
 * pending rows.
 */
public abstract class MicroBatchClassifier implements OnlineLearner<DenseExample> {
    private static final int BOOKKEEPING = 8;
    /** Labelled events learned, pending ones included: two floats ({@link DenseParameters#writeCount}). */
    private static final int LEARNED = 0;
    private static final int PENDING = 2;
    private static final int INITIALIZED = 3;
    private static final double MIN_PROBABILITY = 1e-7;
    /** Rows an answer pass may take even when a training step takes fewer: a default micro-batch of ten classes. */
    private static final int ANSWER_ROWS = 256;

    protected final FfConfig config;
    protected final int classes;
    /** Floats of weights, the first of the parameters. */
    private final int weights;
    protected final ComputeBackend backend;
    protected final DenseParameters parameters;
    protected final float[] values;
    protected final PendingExamples pending;
    protected final DeviceModel model;
    /** The answer {@link #predict} gave last, which {@link #learn} of the same event reads. */
    protected final float[] lastOutput;
    /** Continual backprop's state; its {@link UnitReplacement#active} says whether {@link #contribution} is read. */
    protected final UnitReplacement units;
    /** Each hidden unit's contribution in the step being trained, per layer: {@link #train} fills it. */
    protected final float[][] contribution;
    /** {@link #resetUnit}, made once rather than at every step. */
    private final UnitReplacement.UnitReset resetUnit = this::resetUnit;
    private final String typeName;
    /** Why an event whose answer is not finite is refused: an input so large that the net's activity overflows. */
    private final String notStepped;
    private final int books;
    /** Most events one answer pass takes: {@link #groupCapacity}. */
    private final int answerEvents;
    /** Rows of one event's answer in the net's products. */
    private final int rowsPerAnswer;
    private double learningRate;

    /**
     * @param weights floats of weights (Adam's moments take as many again, twice)
     * @param maxRows most rows any product of the net takes: at least {@link #answerRows} of these
     *                {@code rowsPerAnswer}
     */
    MicroBatchClassifier(final String typeName, final FfConfig config, final ComputeBackend backend, final int weights,
                         final int maxRows, final int rowsPerAnswer) {
        this.typeName = typeName;
        this.notStepped = typeName + ": the answer is not finite (an input too large for the net); the event is not "
                + "learned from";
        this.config = config;
        this.classes = config.classes();
        this.backend = backend;
        this.answerEvents = answerEvents(config, rowsPerAnswer);
        this.rowsPerAnswer = rowsPerAnswer;
        this.weights = weights;
        this.books = DeviceModel.floats(weights, config.answerAverage());
        final int unitsAt = books + BOOKKEEPING;
        final int pendingAt = unitsAt + UnitReplacement.floats(config.layers(), config.hidden());
        this.parameters = new DenseParameters(pendingAt + PendingExamples.floats(config.inputs(), config.batch()),
                1024);
        this.values = parameters.values();
        this.pending = new PendingExamples(parameters, books + PENDING, pendingAt, config.inputs(), config.batch());
        this.model = new DeviceModel(backend, parameters, weights, maxRows, config.answerAverage());
        this.lastOutput = new float[classes];
        this.learningRate = config.learningRate();
        this.units = new UnitReplacement(parameters, unitsAt, config.layers(), config.hidden(),
                config.replacementRate(), config.maturity(), config.utilityDecay());
        this.contribution = new float[config.layers()][config.hidden()];
    }

    /**
     * What this part of a net of {@code weights} weights allocates: the host's parameters (weights, Adam's
     * moments, the average, the pending examples) and the weights on the backend.
     */
    static Footprint footprint(final FfConfig config, final double weights) {
        final double parameters = (config.answerAverage() > 0 ? 4 : 3) * weights + BOOKKEEPING
                + UnitReplacement.floats(config.layers(), config.hidden())
                + (double) config.batch() * (config.inputs() + 2);
        return Footprint.floats(parameters).plus(DeviceModel.footprint(weights, config.answerAverage()));
    }

    /** Seeds the weights of a blank model (all values are 0 when called). */
    protected abstract void initializeWeights(SplittableRandom random);

    /**
     * Events one answer pass takes when each is {@code rowsPerAnswer} rows of the net's products: a
     * micro-batch's, within the rows of a training step or {@value #ANSWER_ROWS}, whichever is more.
     */
    static int answerEvents(final FfConfig config, final int rowsPerAnswer) {
        return Math.max(1, Math.min(config.batch(), Math.max(config.trainingRows(), ANSWER_ROWS) / rowsPerAnswer));
    }

    /** Rows the products of an answer pass take at most. */
    static int answerRows(final FfConfig config, final int rowsPerAnswer) {
        return answerEvents(config, rowsPerAnswer) * rowsPerAnswer;
    }

    /** Writes the input of event {@code event} of the next answer pass. */
    protected abstract void stageAnswer(int event, float[] x);

    /**
     * Runs the net, with the weights on the backend, over the first {@code rows} staged rows: those of the
     * staged events and, to make every event's answer the same bits in a pass of any size, maybe more
     * ({@link ComputeBackend#stableRows}), whose results are not read.
     */
    protected abstract void runAnswers(int rows);

    /** The answer of event {@code event} of the last pass into {@code out}, a probability per class. */
    protected abstract void readAnswer(int event, float[] out);

    /** One training step on the full micro-batch in {@link #pending}, ending with {@link #step}. */
    protected abstract void train();

    /** Continual backprop: fresh input weights and zero outgoing ones for hidden unit {@code unit} of {@code layer}. */
    protected abstract void resetUnit(int layer, int unit, SplittableRandom random);

    /** The negative label kept with a labelled event (forward-forward's wrong label); 0 by default. */
    protected int negativeFor(final int label) {
        return 0;
    }

    /** Seeds blank parameters: at creation (the subclass constructor calls it last) and after a reset. */
    protected final void initializeIfBlank() {
        if (values[books + INITIALIZED] != 0f) {
            return;
        }
        java.util.Arrays.fill(values, 0f);
        initializeWeights(new SplittableRandom(config.seed()));
        model.startAverage();
        values[books + INITIALIZED] = 1f;
        parameters.markAllChanged();
    }

    /** Labelled events learned so far, pending ones included. */
    public long learned() {
        return parameters.readCount(books + LEARNED);
    }

    @Override
    public int outputSize() {
        return classes;
    }

    @Override
    public String validate(final DenseExample example) {
        if (example.inputSize() != config.inputs()) {
            return "'x' has " + example.inputSize() + " values, the model takes " + config.inputs();
        }
        if (example.hasTarget()) {
            return "an " + typeName + " model takes 'label', not 'y'";
        }
        if (example.label() >= classes) {
            return "'label' " + example.label() + " is outside [0, " + classes + ")";
        }
        return null;
    }

    @Override
    public float loss(final DenseExample example, final float[] prediction) {
        return (float) -Math.log(Math.max(MIN_PROBABILITY, prediction[example.label()]));
    }

    @Override
    public final void predict(final DenseExample example, final float[] keyState, final float[] out) {
        stageAnswer(0, example.input());
        answerStaged(1);
        if (!takeAnswer(0, out)) {
            throw new NonFiniteUpdateException(notStepped);
        }
    }

    /**
     * Reads answer {@code event} into {@code out} and keeps it for {@link #learn}, which reads the event's own
     * answer (forward-forward's hardest wrong label); false, keeping nothing, when it is not finite.
     */
    private boolean takeAnswer(final int event, final float[] out) {
        readAnswer(event, out);
        if (!Finite.all(out, 0, classes)) {
            return false;
        }
        System.arraycopy(out, 0, lastOutput, 0, classes);
        return true;
    }

    private void answerStaged(final int events) {
        initializeIfBlank();
        model.refresh();
        model.answering(true);
        try {
            runAnswers(backend.stableRows(events * rowsPerAnswer, answerEvents * rowsPerAnswer));
        } finally {
            model.answering(false);
        }
    }

    @Override
    public int groupCapacity() {
        return answerEvents;
    }

    /**
     * Answers the group in passes, each up to the event that completes a micro-batch (when learning) and
     * at most {@link #groupCapacity} events, then learns from the pass's events in order: bit for bit the
     * events one by one, since {@link #predict} and every pass compute as many rows as the backend needs
     * for that ({@link ComputeBackend#stableRows}). An event whose answer is not finite is refused, as
     * {@link #predict} refuses it, and completes no micro-batch: the next pass goes on with the same weights.
     */
    @Override
    public final void step(final EventGroup<DenseExample> group, final boolean learn) {
        for (int from = 0; from < group.size(); ) {
            final int to = endOfPass(group, from, learn);
            for (int slot = from; slot < to; slot++) {
                stageAnswer(slot - from, group.example(slot).input());
            }
            answerStaged(to - from);
            for (int slot = from; slot < to; slot++) {
                if (takeAnswer(slot - from, group.output(slot))) {
                    learnInGroup(group, slot, learn);
                } else {
                    group.notStepped(slot, notStepped);
                }
            }
            from = to;
        }
    }

    /** The end of the answer pass from slot {@code from}: after the event that completes a micro-batch. */
    private int endOfPass(final EventGroup<DenseExample> group, final int from, final boolean learn) {
        int room = pending.capacity() - pending.size();
        int to = from;
        while (to < group.size() && to - from < answerEvents) {
            final boolean completes = learn && group.labelled(to) && --room == 0;
            to++;
            if (completes) {
                break;
            }
        }
        return to;
    }

    /** Keeps the event for its micro-batch and, when that fills up, trains on it; returns the answer's loss. */
    @Override
    public final float learn(final DenseExample example, final float[] keyState) {
        if (!example.labelled()) {
            throw new IllegalArgumentException(typeName + ": cannot learn from an event without 'label'");
        }
        // a learner may learn without predicting first, and after a restore or reset: the backend must train
        // the weights the host holds
        initializeIfBlank();
        model.refresh();
        pending.add(example.input(), example.label(), negativeFor(example.label()));
        if (pending.isFull()) {
            try {
                train();
            } catch (final NonFiniteUpdateException e) {
                throw dropMicroBatch(e);
            } catch (final RuntimeException e) {
                pending.dropLast();
                throw e;
            }
            pending.clear();
        }
        parameters.writeCount(books + LEARNED, learned() + 1);
        return loss(example, lastOutput);
    }

    /**
     * Drops the whole micro-batch whose step was refused, the events before this one too: kept, the event
     * that overflows the step would refuse every later micro-batch, and the learner would learn nothing more.
     * The count of events learned goes back to where the micro-batch began.
     */
    private NonFiniteUpdateException dropMicroBatch(final NonFiniteUpdateException refused) {
        final int earlier = pending.size() - 1;
        // the rows' values as before this event, then none of them pending
        pending.dropLast();
        pending.clear();
        parameters.writeCount(books + LEARNED, learned() - earlier);
        if (earlier == 0) {
            return refused;
        }
        return new NonFiniteUpdateException(refused.getMessage() + "; the " + earlier + " earlier events of its "
                + "micro-batch are not learned either", earlier);
    }

    /**
     * The optimiser step with the gradients the backend holds; then, with continual backprop, the units'
     * contributions in {@link #contribution} go into their utilities and the least useful are replaced.
     */
    protected final void step() {
        final long steps = learned() / config.batch() + 1;
        model.step(config.adam(), (float) learningRate, (float) config.beta1(), (float) config.beta2(),
                (int) Math.min(Integer.MAX_VALUE, steps));
        if (units.active()) {
            for (int l = 0; l < config.layers(); l++) {
                units.observe(l, contribution[l]);
            }
            units.replace(config.seed(), steps, resetUnit);
        }
    }

    /**
     * A unit's fresh input weights, drawn as at initialisation, and zero bias: row {@code unit} of the
     * layer whose W ({@code out × fanIn}) starts at {@code at}.
     */
    protected final void freshInputs(final int at, final int out, final int fanIn, final int unit,
                                     final SplittableRandom random) {
        final double scale = initBound(fanIn);
        model.rewrite(at + unit * fanIn, fanIn, 1, i -> scale * (2 * random.nextDouble() - 1));
        model.rewrite(at + out * fanIn + unit, 1, 1, i -> 0);
    }

    /** Zero weights from input {@code unit} of the layer whose W ({@code out × fanIn}) starts at {@code at}. */
    protected final void zeroInput(final int at, final int out, final int fanIn, final int unit) {
        model.rewrite(at + unit, out, fanIn, i -> 0);
    }

    /** Units replaced by continual backprop since this learner was made. */
    public long replacedUnits() {
        return units.replaced();
    }

    /** New weights of a unit with {@code fanIn} inputs lie in ± this. */
    private double initBound(final int fanIn) {
        return config.initScale() / Math.sqrt(fanIn);
    }

    /** Seeds weights uniform in ±initScale/√fanIn: {@code out × fanIn} of them from {@code at}. */
    protected final void uniform(final SplittableRandom random, final int at, final int out, final int fanIn) {
        final double scale = initBound(fanIn);
        for (int i = 0; i < out * fanIn; i++) {
            values[at + i] = (float) (scale * (2 * random.nextDouble() - 1));
        }
    }

    /** In place: a softmax over all of {@code scores}. */
    static void softmax(final double[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (final double v : scores) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = Math.exp(scores[i] - max);
            sum += scores[i];
        }
        for (int i = 0; i < scores.length; i++) {
            scores[i] /= sum;
        }
    }

    @Override
    public ParameterState parameters() {
        return parameters;
    }

    /** The weights, and the average of them that answers read when there is one; not the moments or units. */
    @Override
    public int[] replicaSpans() {
        return config.answerAverage() > 0 ? new int[] {0, weights, 3 * weights, weights} : new int[] {0, weights};
    }

    /** Seeds the weights when a reset left them blank, as the next event would: a merge then moves those. */
    @Override
    public void beforeReplicaMerge() {
        initializeIfBlank();
    }

    @Override
    public void reconfigure(final Map<String, Double> resolved) {
        final FfConfig updated = FfConfig.from(resolved);
        learningRate = updated.learningRate();
        units.rate(updated.replacementRate());
    }
}
