package io.eddy.learners.rtrl;

import io.eddy.kernels.api.ComputeBackend;
import io.eddy.kernels.api.RecurrentCell;
import io.eddy.kernels.cpu.HostAdam;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.DenseParameters;
import io.eddy.learners.api.EventGroup;
import io.eddy.learners.api.Finite;
import io.eddy.learners.api.Footprint;
import io.eddy.learners.api.NonFiniteUpdateException;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.api.ParameterState;
import java.util.Map;

/**
 * An rtrl net as an online learner: each event is one step of its key's sequence ({@link #predict}
 * advances the key's state and sensitivities), and a labelled event then updates the shared
 * parameters with its exact RTRL gradient ({@link #learn}). The arithmetic is {@link RtrlNetwork}'s,
 * in double precision; parameters and key states are stored as floats.
 *
 * <p>With a compute backend and {@code batch > 1}, {@link #step} takes a group of keys' events in
 * one {@link RtrlBatchStep} on the backend, in float32, split only where an update or a new stage
 * changes the parameters; it agrees with the one-by-one double path to float precision (see
 * {@code RtrlBatchStepTest}). The optimiser runs on the host either way, with the same code.
 *
 * <p>Everything that decides future updates is in {@link #parameters()}: the weights, Adam's moments
 * and step powers, the learned-event count (which fixes the active stage), and for {@code batch > 1}
 * the partial gradient sum; so a learner rebuilt from them goes on bit for bit.
 */
public final class RtrlLearner implements OnlineLearner<DenseExample> {
    private static final int BOOKKEEPING = 8;
    private static final int BETA1_POWER = 0;
    private static final int BETA2_POWER = 1;
    /** The count of events learned, two floats ({@link DenseParameters#writeCount}). */
    private static final int LEARNED = 2;
    private static final int IN_BATCH = 4;
    private static final int INITIALIZED = 5;
    /** Why a step is refused: it would overflow the key's state or the prediction. */
    private static final String NOT_STEPPED = "rtrl: the step would make the key's state or prediction non-finite "
            + "(an input too large for the net); the key's state is left as it was";
    private static final String LOSS_OVERFLOWS = "rtrl: the loss of this prediction would pass the float range (a "
            + "target too large for the net); the key's state is left as it was";

    private final RtrlConfig config;
    private final RtrlNetwork network;
    private final DenseParameters parameters;
    private final float[] values;
    private final int count;
    private final int books;
    private final int accumulated;
    private final double[] state;
    private final double[] features;
    private final double[] prediction;
    private final double[] grad;
    private final float[] next;
    private final HostAdam adam;
    private final double[] outputGrad;
    private final RtrlBatchStep batchStep;
    private final boolean[] labelledKeys;
    /** Keys of a batched step whose sensitivities restart (see {@link #stepTogether}). */
    private final boolean[] restarts;
    private double learningRate;
    private double clip;

    /** A learner that computes in double on the calling thread, one event at a time. */
    public RtrlLearner(final RtrlConfig config) {
        this(config, null);
    }

    /**
     * A learner that steps groups on {@code backend} when {@code batch > 1}; the caller owns the
     * backend and closes it after the learner.
     */
    public RtrlLearner(final RtrlConfig config, final ComputeBackend backend) {
        this.config = config;
        this.network = new RtrlNetwork(config);
        this.count = network.parameterCount();
        // the parameters, then Adam's first and second moments (HostAdam's layout), then the bookkeeping
        this.books = 3 * count;
        this.accumulated = books + BOOKKEEPING;
        final int size = accumulated + (config.batch() > 1 ? count : 0);
        this.parameters = new DenseParameters(size, 1024);
        this.values = parameters.values();
        this.state = new double[network.stateSize()];
        this.features = new double[config.units()];
        this.prediction = new double[config.outputs()];
        this.grad = new double[count];
        this.adam = config.adam() ? new HostAdam(count) : null;
        this.next = config.adam() ? null : new float[count];
        this.outputGrad = new double[config.outputs()];
        this.batchStep = backend != null && config.batch() > 1 ? new RtrlBatchStep(network, backend) : null;
        this.labelledKeys = new boolean[batchStep == null ? 0 : batchStep.capacity()];
        this.restarts = new boolean[batchStep == null ? 0 : batchStep.capacity()];
        this.learningRate = config.learningRate();
        this.clip = config.gradientClip();
        initializeIfBlank();
    }

    /**
     * What a learner of {@code config} allocates, as in the constructors here and in {@link RtrlNetwork} and
     * {@link RtrlBatchStep}, counted in doubles: a net too large for its sizes' {@code int}s is refused
     * before it is built.
     */
    static Footprint footprint(final RtrlConfig config) {
        double count = (double) config.outputs() * (config.units() + 1);
        double stateSize = 0;
        for (int stage = 0; stage < config.stages(); stage++) {
            count += (double) config.hidden() * config.cell().parameters(config.fanIn(stage));
            stateSize += (double) config.hidden() * config.cell().stateSize(config.fanIn(stage));
        }
        final boolean batched = config.batch() > 1;
        final double group = batched ? RtrlBatchStep.capacity(config.batch(), count, stateSize) : 1;
        // parameters with Adam's moments (and the batched sum); gradient; the network's two states;
        // Adam's scratch; the group's key states; one key state's encoding in the store
        Footprint footprint = Footprint.floats((batched ? 4 : 3) * count + BOOKKEEPING)
                .plus(Footprint.doubles(count, stateSize, stateSize))
                .plus(config.adam() ? Footprint.floats(3 * count).plus(Footprint.doubles(4 * count))
                        : Footprint.floats(count))
                .plus(Footprint.floats(stateSize).times(group))
                .plus(Footprint.bytes(4 * stateSize + 9));
        if (batched) {
            // the batched step's per-key rows, on the backend and on the host: gradients, states (twice),
            // the gates' pre-activations and the cell's traces, and the parameters, their sum and its copy
            final RecurrentCell cell = config.cell();
            final double hidden = config.hidden();
            final int widestFanIn = config.fanIn(config.stages() - 1);
            footprint = footprint.plus(Footprint.floats(group * count, group * stateSize, group * stateSize,
                    group * cell.gates() * hidden, group * hidden * cell.traceSize(widestFanIn), 3 * count));
        }
        return footprint;
    }

    /** Starts from seeded weights when the parameters are blank: at creation and after a reset. */
    private void initializeIfBlank() {
        if (values[books + INITIALIZED] != 0f) {
            return;
        }
        java.util.Arrays.fill(values, 0f);
        network.initialize(values);
        values[books + BETA1_POWER] = 1f;
        values[books + BETA2_POWER] = 1f;
        values[books + INITIALIZED] = 1f;
        parameters.markAllChanged();
    }

    public RtrlNetwork network() {
        return network;
    }

    /** Labelled events learned so far. */
    public long learned() {
        return parameters.readCount(books + LEARNED);
    }

    @Override
    public int outputSize() {
        return config.outputs();
    }

    @Override
    public int keyStateSize() {
        return network.stateSize();
    }

    /** A group of up to {@code batch} keys shares one set of parameters until its update. */
    @Override
    public int groupCapacity() {
        return batchStep != null ? batchStep.capacity() : config.batch();
    }

    @Override
    public String validate(final DenseExample example) {
        if (example.inputSize() != config.inputs()) {
            return "'x' has " + example.inputSize() + " values, the model takes " + config.inputs();
        }
        if (config.classification()) {
            if (example.hasTarget()) {
                return "a classification model takes 'label', not 'y'";
            }
            if (example.label() >= config.outputs()) {
                return "'label' " + example.label() + " is outside [0, " + config.outputs() + ")";
            }
        } else {
            if (example.label() >= 0) {
                return "a regression model takes 'y', not 'label'";
            }
            if (example.hasTarget() && example.targetSize() != config.outputs()) {
                return "'y' has " + example.targetSize() + " values, the model predicts " + config.outputs();
            }
        }
        return null;
    }

    @Override
    public void predict(final DenseExample example, final float[] keyState, final float[] out) {
        initializeIfBlank();
        network.activeStage(activeStage());
        stepFrom(keyState, example.input(), false);
        boolean stateFits = Finite.fitFloats(state);
        if (!stateFits && network.valuesFitFloats(state) && Finite.fitFloats(prediction)) {
            // only the sensitivities would overflow: the key's gradient history restarts at this step
            // (its values and prediction do not depend on them)
            stepFrom(keyState, example.input(), true);
            stateFits = Finite.fitFloats(state);
        }
        if (!stateFits || !Finite.fitFloats(prediction)) {
            throw new NonFiniteUpdateException(NOT_STEPPED);
        }
        if (example.labelled() && !Finite.fitsFloat(network.loss(prediction, example))) {
            throw new NonFiniteUpdateException(LOSS_OVERFLOWS);
        }
        for (int i = 0; i < state.length; i++) {
            keyState[i] = (float) state[i];
        }
        for (int o = 0; o < out.length; o++) {
            out[o] = (float) prediction[o];
        }
    }

    /** Steps {@code keyState} by {@code x} into {@link #state} and predicts; sensitivities zeroed first if asked. */
    private void stepFrom(final float[] keyState, final float[] x, final boolean restart) {
        for (int i = 0; i < state.length; i++) {
            state[i] = keyState[i];
        }
        if (restart) {
            network.clearSensitivities(state);
        }
        network.step(values, x, state, features);
        network.predict(values, features, prediction);
    }

    private int activeStage() {
        return (int) Math.min(config.stages() - 1, learned() / config.stageEvents());
    }

    @Override
    public float loss(final DenseExample example, final float[] out) {
        for (int o = 0; o < prediction.length; o++) {
            prediction[o] = out[o];
        }
        return (float) network.loss(prediction, example);
    }

    /** Learns from the event {@link #predict} has just stepped; uses the state that call left behind. */
    @Override
    public float learn(final DenseExample example, final float[] keyState) {
        if (!example.labelled()) {
            throw new IllegalArgumentException("rtrl: cannot learn from an event without 'y' or 'label'");
        }
        java.util.Arrays.fill(grad, 0.0);
        final double loss = network.addGradient(values, state, features, prediction, example, grad);
        absorb();
        return (float) loss;
    }

    /**
     * Steps the group on the compute backend when there is one (see the class comment), else one event
     * at a time.
     */
    @Override
    public void step(final EventGroup<DenseExample> group, final boolean learn) {
        if (batchStep == null) {
            OnlineLearner.super.step(group, learn);
            return;
        }
        initializeIfBlank();
        for (int from = 0; from < group.size(); ) {
            network.activeStage(activeStage());
            final int to = sameParametersUntil(group, from, learn);
            stepTogether(group, from, to, learn);
            from = to;
        }
    }

    /**
     * The end of the run of events from {@code from} that the current parameters and stage serve: just
     * after the first labelled event whose learning would complete a batch or a stage. If that update
     * is then refused, the next run simply starts with the same parameters.
     */
    private int sameParametersUntil(final EventGroup<DenseExample> group, final int from, final boolean learn) {
        if (!learn) {
            return group.size();
        }
        long learnedBy = learned();
        int inBatch = (int) values[books + IN_BATCH];
        for (int slot = from; slot < group.size(); slot++) {
            if (group.labelled(slot) && (++inBatch == config.batch() || ++learnedBy % config.stageEvents() == 0)) {
                return slot + 1;
            }
        }
        return group.size();
    }

    private void stepTogether(final EventGroup<DenseExample> group, final int from, final int to,
                              final boolean learn) {
        final int n = to - from;
        batchStep.forward(values, group, from, n, null);
        // a key whose sensitivities alone would overflow restarts its gradient history at this step, as
        // one by one (see predict): the group runs again with those keys' sensitivities zeroed
        boolean restart = false;
        for (int i = 0; i < n; i++) {
            restarts[i] = false;
            if (!batchStep.stateFinite(i) && batchStep.valuesFinite(i)) {
                batchStep.prediction(i, values, prediction);
                restarts[i] = Finite.fitFloats(prediction);
            }
            restart |= restarts[i];
        }
        if (restart) {
            batchStep.forward(values, group, from, n, restarts);
        }
        boolean learning = false;
        for (int i = 0; i < n; i++) {
            final int slot = from + i;
            batchStep.prediction(i, values, prediction);
            if (!batchStep.stateFinite(i) || !Finite.fitFloats(prediction)) {
                group.notStepped(slot, NOT_STEPPED);
                batchStep.outputGradient(i, null);
                continue;
            }
            if (group.labelled(slot) && !Finite.fitsFloat(network.loss(prediction, group.example(slot)))) {
                group.notStepped(slot, LOSS_OVERFLOWS);
                batchStep.outputGradient(i, null);
                continue;
            }
            batchStep.copyState(i, group.keyState(slot));
            final float[] out = group.output(slot);
            for (int o = 0; o < out.length; o++) {
                out[o] = (float) prediction[o];
            }
            final boolean learns = learn && group.labelled(slot);
            if (group.labelled(slot)) {
                group.outcome(slot, (float) network.loss(prediction, group.example(slot)), null);
            }
            if (learns) {
                network.outputGradient(prediction, group.example(slot), outputGrad);
            }
            batchStep.outputGradient(i, learns ? outputGrad : null);
            learning |= learns;
        }
        if (!learning) {
            return;
        }
        batchStep.gradients(n);
        // Only the run's last event can complete a batch (sameParametersUntil): the events before it
        // are summed on the backend, unless a sum is refused, and then taken one at a time.
        final int summed = completesBatch(group, from, to) ? n - 1 : n;
        for (int i = 0; i < summed; i++) {
            labelledKeys[i] = stepped(group, from + i);
        }
        if (batchStep.accumulate(summed, labelledKeys, clip > 0 ? clip : 0, values, accumulated)) {
            for (int i = 0; i < summed; i++) {
                if (labelledKeys[i]) {
                    values[books + IN_BATCH]++;
                    countLearned();
                }
            }
            parameters.markChanged(accumulated, count);
            parameters.markChanged(books, BOOKKEEPING);
        } else {
            absorbOneByOne(group, from, 0, summed);
        }
        absorbOneByOne(group, from, summed, n);
    }

    /** Whether the labelled events of slots {@code from} to {@code to} fill the batch being summed. */
    private boolean completesBatch(final EventGroup<DenseExample> group, final int from, final int to) {
        int inBatch = (int) values[books + IN_BATCH];
        for (int slot = from; slot < to; slot++) {
            if (stepped(group, slot)) {
                inBatch++;
            }
        }
        return inBatch == config.batch() && stepped(group, to - 1);
    }

    /** Whether the slot's event is labelled and was stepped, so that a learning step learns from it. */
    private static boolean stepped(final EventGroup<DenseExample> group, final int slot) {
        return group.labelled(slot) && group.notStepped(slot) == null;
    }

    /** Takes the gradients of keys {@code first} to {@code end} of the step into the batch, one at a time. */
    private void absorbOneByOne(final EventGroup<DenseExample> group, final int from, final int first,
                                final int end) {
        for (int i = first; i < end; i++) {
            final int slot = from + i;
            if (!stepped(group, slot)) {
                continue;
            }
            batchStep.gradient(i, grad);
            try {
                absorb();
            } catch (final NonFiniteUpdateException e) {
                group.refused(slot, group.loss(slot), e);
            }
        }
    }

    /** Takes {@code grad}, one labelled event's gradient, into the batch sum or an update; counts the event. */
    private void absorb() {
        final boolean applyNow;
        if (config.batch() == 1) {
            applyNow = true;
        } else {
            final float inBatch = values[books + IN_BATCH] + 1;
            for (int i = 0; i < count; i++) {
                grad[i] = clip(grad[i]) + values[accumulated + i];
            }
            applyNow = inBatch == config.batch();
            if (!applyNow) {
                checkFinite(grad, "gradient");
                for (int i = 0; i < count; i++) {
                    values[accumulated + i] = (float) grad[i];
                }
                values[books + IN_BATCH] = inBatch;
                parameters.markChanged(accumulated, count);
                parameters.markChanged(books, BOOKKEEPING);
            } else {
                for (int i = 0; i < count; i++) {
                    grad[i] /= config.batch();
                }
            }
        }
        if (applyNow) {
            apply();
        }
        countLearned();
    }

    private double clip(final double g) {
        return clip > 0 ? clip(g, clip) : g;
    }

    private static double clip(final double g, final double limit) {
        return Math.max(-limit, Math.min(limit, g));
    }

    /**
     * One optimiser step with {@code grad} over the active stage, the stages not yet grown and the
     * readout; frozen stages are left alone (Adam's momentum would otherwise keep moving them).
     * Writes nothing unless every new value is finite.
     */
    private void apply() {
        final int from = network.unitParameters(network.activeStage() * config.hidden());
        final int n = count - from;
        // a batch's sum was clipped event by event as it accumulated
        final double limit = config.batch() == 1 && clip > 0 ? clip : Double.POSITIVE_INFINITY;
        final float beta1Power;
        final float beta2Power;
        if (config.adam()) {
            beta1Power = (float) (values[books + BETA1_POWER] * config.beta1());
            beta2Power = (float) (values[books + BETA2_POWER] * config.beta2());
            final double rate = learningRate / (1 - beta1Power);
            if (!adam.step(values, from, count, grad, limit, config.beta1(), config.beta2(), rate, 1 - beta2Power)) {
                throw nonFiniteUpdate();
            }
            for (int block = 0; block < 3; block++) {
                parameters.markChanged(block * count + from, n);
            }
        } else {
            beta1Power = values[books + BETA1_POWER];
            beta2Power = values[books + BETA2_POWER];
            for (int i = from; i < count; i++) {
                next[i] = (float) (values[i] - learningRate * clip(grad[i], limit));
            }
            // checked apart from the update, so that the update's loop carries no dependency from one
            // element to the next
            if (!Finite.all(next, from, n)) {
                throw nonFiniteUpdate();
            }
            System.arraycopy(next, from, values, from, n);
            parameters.markChanged(from, n);
        }
        values[books + BETA1_POWER] = beta1Power;
        values[books + BETA2_POWER] = beta2Power;
        if (config.batch() > 1) {
            java.util.Arrays.fill(values, accumulated, accumulated + count, 0f);
            values[books + IN_BATCH] = 0f;
            parameters.markChanged(accumulated, count);
        }
    }

    private static NonFiniteUpdateException nonFiniteUpdate() {
        return new NonFiniteUpdateException("rtrl: the update would make a parameter non-finite; parameters left "
                + "unchanged");
    }

    private void countLearned() {
        parameters.writeCount(books + LEARNED, learned() + 1);
        parameters.markChanged(books, BOOKKEEPING);
    }

    private static void checkFinite(final double[] values, final String what) {
        if (!Finite.fitFloats(values)) {
            throw new NonFiniteUpdateException("rtrl: non-finite " + what + "; parameters left unchanged");
        }
    }

    @Override
    public ParameterState parameters() {
        return parameters;
    }

    /** The shared weights; Adam's moments and the bookkeeping stay each replica's own. */
    @Override
    public int[] replicaSpans() {
        return new int[] {0, count};
    }

    /** Seeds the weights when a reset left them blank, as the next event would: a merge then moves those. */
    @Override
    public void beforeReplicaMerge() {
        initializeIfBlank();
    }

    @Override
    public void reconfigure(final Map<String, Double> resolved) {
        final RtrlConfig updated = RtrlConfig.from(resolved);
        learningRate = updated.learningRate();
        clip = updated.gradientClip();
    }
}
