package io.eddy.ops.eval;

import io.eddy.connectors.dataset.FashionMnist;
import io.eddy.connectors.dataset.FashionMnistStream;
import io.eddy.learners.LearnerCatalog;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.ops.progress.ProgressBars;
import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code eddy eval ff}: the forward-forward learner on Fashion-MNIST as a stream, beside the backprop
 * net of the same shape trained on the same stream the same way (batch, optimiser, one pass). The
 * stream is the 60,000 training images and then the 10,000 test images, all labelled and learned;
 * each is answered before it is learned, and the accuracy over the test part is the figure. With
 * {@code passes}, both nets are also trained for that many passes over the training images and then
 * measured on the test images without learning (library mode), with the net's shape and each type's
 * defaults.
 */
public final class FfEvaluation {
    /** Training and test images of {@code --quick}, and of the quality test in the default suite. */
    public static final int QUICK_TRAIN = 10_000;
    public static final int QUICK_TEST = 2_000;
    /** The nets measured: two hidden layers of 500 (quick: one of 200). */
    public static final Map<String, Object> NET = Map.of("inputs", 784, "outputs", 10, "layers", 2, "hidden", 500);
    public static final Map<String, Object> QUICK_NET = Map.of("inputs", 784, "outputs", 10, "layers", 1,
            "hidden", 200);

    /**
     * The one-pass run's settings beyond the net: forward-forward's layers learn from the goodness summed
     * over them (as its answers sum it), with SymBa's alpha at 2, and both nets answer from weights averaged
     * over about 500 steps (4,000 events). Chosen on seed 1; docs/benchmarks.md has seed 2 too.
     */
    public static final Map<String, Object> FF_ONE_PASS = Map.of("layerLoss", "collaborative", "alpha", 2,
            "answerAverage", 0.998);
    public static final Map<String, Object> MLP_ONE_PASS = Map.of("answerAverage", 0.998);

    private final PrintStream out;
    private final boolean quick;
    private final int passes;
    private final double passDecay;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private ProgressBars bars = ProgressBars.OFF;

    public FfEvaluation(final PrintStream out, final boolean quick, final int passes) {
        this(out, quick, passes, 1.0);
    }

    /** @param passDecay the learning rate is multiplied by this after each pass of the library-mode runs */
    public FfEvaluation(final PrintStream out, final boolean quick, final int passes, final double passDecay) {
        this.out = out;
        this.quick = quick;
        this.passes = passes;
        this.passDecay = passDecay;
    }

    /** Shows each run's progress with {@code progress} (none by default). */
    public FfEvaluation withProgress(final ProgressBars progress) {
        this.bars = progress;
        return this;
    }

    /** Runs both nets and returns the figures; prints a line per figure. */
    public Map<String, Object> run() throws IOException {
        final FashionMnist train = FashionMnist.load(FashionMnist.TRAIN);
        final FashionMnist test = FashionMnist.load(FashionMnist.TEST);
        final int trainEvents = quick ? QUICK_TRAIN : train.size();
        final int testEvents = quick ? QUICK_TEST : test.size();
        final Map<String, Object> net = quick ? QUICK_NET : NET;
        out.printf(Locale.ROOT, "Fashion-MNIST as a stream: %,d training images, then %,d test images, each answered "
                + "before it is learned; %s hidden layer(s) of %s; ff %s, mlp %s, each type's defaults otherwise%n",
                trainEvents, testEvents, net.get("layers"), net.get("hidden"), FF_ONE_PASS, MLP_ONE_PASS);
        figures.put("train_events", trainEvents);
        figures.put("test_events", testEvents);
        for (final String type : List.of("ff", "mlp")) {
            final long start = System.nanoTime();
            final Map<String, Object> params = new HashMap<>(net);
            params.putAll(type.equals("ff") ? FF_ONE_PASS : MLP_ONE_PASS);
            final LibraryRun.Figures result = streamed(learner(type, params), train, test, trainEvents, testEvents,
                    bars, type.equals("ff") ? "forward-forward" : "backprop");
            final double rate = (trainEvents + testEvents) / ((System.nanoTime() - start) / 1e9);
            final String name = type.equals("ff") ? "ff" : "bp";
            out.printf(Locale.ROOT, "  %-3s %-16s prequential accuracy on the test part %.4f, loss %.4f (%,.0f "
                    + "events/s)%n", name, type.equals("ff") ? "forward-forward" : "backprop", result.accuracy(),
                    result.meanLoss(), rate);
            figures.put(name + "_accuracy", Rounding.round(result.accuracy()));
            figures.put(name + "_loss", Rounding.round(result.meanLoss()));
        }
        if (passes > 0) {
            for (final String type : List.of("ff", "mlp")) {
                final String name = type.equals("ff") ? "ff" : "bp";
                final double accuracy = passes(type, net, train, test, trainEvents, testEvents);
                figures.put(name + "_test_accuracy_after_passes", Rounding.round(accuracy));
            }
            figures.put("passes", passes);
            figures.put("pass_decay", passDecay);
        }
        return figures;
    }

    /**
     * Trains a fresh net for {@link #passes} passes over the training images, the learning rate times
     * {@link #passDecay} after each, printing the test accuracy (no learning) after every pass; returns
     * the last.
     */
    private double passes(final String type, final Map<String, Object> net, final FashionMnist train,
                          final FashionMnist test, final int trainEvents, final int testEvents) {
        final Map<String, Double> resolved = resolved(type, net);
        final OnlineLearner<DenseExample> learner = type(type).create(resolved);
        final double rate = resolved.get("learningRate");
        double accuracy = Double.NaN;
        final String name = type.equals("ff") ? "ff" : "bp";
        for (int pass = 1; pass <= passes; pass++) {
            final Map<String, Double> updated = new HashMap<>(resolved);
            updated.put("learningRate", Math.max(1e-7, rate * Math.pow(passDecay, pass - 1)));
            learner.reconfigure(updated);
            final String phase = name + " pass " + pass;
            LibraryRun.runInGroups(CountedStream.of(FashionMnistStream.of(List.of(train), trainEvents, 1), bars,
                    phase + ", training"), learner, Long.MAX_VALUE, true);
            accuracy = LibraryRun.runInGroups(CountedStream.of(FashionMnistStream.of(List.of(test), testEvents, 1),
                    bars, phase + ", test"), learner, 0, false).accuracy();
            out.printf(Locale.ROOT, "  %-3s pass %d (learning rate %.3g): test accuracy %.4f%n", name, pass,
                    updated.get("learningRate"), accuracy);
        }
        return accuracy;
    }

    /**
     * One pass over {@code trainEvents} training images and then {@code testEvents} test images, each
     * answered and then learned, in groups as the engine gathers them; the figures of the test part.
     */
    public static LibraryRun.Figures streamed(final OnlineLearner<DenseExample> learner, final FashionMnist train,
                                              final FashionMnist test, final int trainEvents, final int testEvents) {
        return streamed(learner, train, test, trainEvents, testEvents, ProgressBars.OFF, "");
    }

    private static LibraryRun.Figures streamed(final OnlineLearner<DenseExample> learner, final FashionMnist train,
                                               final FashionMnist test, final int trainEvents, final int testEvents,
                                               final ProgressBars bars, final String net) {
        LibraryRun.runInGroups(CountedStream.of(FashionMnistStream.of(List.of(train), trainEvents, 1), bars,
                net + ", training images"), learner, Long.MAX_VALUE, true);
        return LibraryRun.runInGroups(CountedStream.of(FashionMnistStream.of(List.of(test), testEvents, 1), bars,
                net + ", test images"), learner, 0, true);
    }

    /** A learner of type {@code ff} or {@code mlp} with these parameters (and the types' defaults). */
    public static OnlineLearner<DenseExample> learner(final String type, final Map<String, Object> params) {
        return type(type).create(resolved(type, params));
    }

    /** These parameters of type {@code ff} or {@code mlp} with the type's defaults, resolved. */
    private static Map<String, Double> resolved(final String type, final Map<String, Object> params) {
        final LearnerType<DenseExample> t = type(type);
        return HyperParameters.resolve(t.hyperParameters(), HyperParameters.coerce(t.hyperParameters(),
                new HashMap<>(params)));
    }

    @SuppressWarnings("unchecked")
    private static LearnerType<DenseExample> type(final String type) {
        return (LearnerType<DenseExample>) LearnerCatalog.find(type);
    }
}
