package io.eddy.tests.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eddy.connectors.synthetic.ClickStream;
import io.eddy.learners.LearnerCatalog;
import io.eddy.learners.api.FeatureHasher;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.api.PrequentialMetrics;
import io.eddy.learners.api.SparseExample;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Prequential quality of the FTRL learner with default hyper-parameters on a drifting synthetic
 * click stream, without a broker: each event is decoded from its JSON, scored, recorded, then
 * learned from, as the engine does.
 */
class FtrlQualityTest {
    private static final int EVENTS = 200_000;
    private static final int DRIFT_AT = 100_000;
    private static final int WINDOW = 5_000;
    private static final float[] NO_KEY_STATE = new float[0];

    // Margins chosen from measurement (JDK 17, seed 2013, 5,000-event windows):
    //   before the drift  log loss 0.5048, constant 0.6297, true model 0.4885
    //   after the drift   log loss 0.5988, constant 0.6472, true model 0.5057
    //   end of stream     log loss 0.5260, constant 0.6456, true model 0.4980
    // A learner that never updates scores 0.693 everywhere and one whose gradient has the wrong
    // sign does far worse; both fail the first assertion. The test is deterministic, so the
    // margins guard against regressions, not noise; a window mean's noise is ~0.007 anyway.
    private static final double MARGIN_BEFORE = 0.08;
    private static final double RISE = 0.04;
    private static final double RECOVERED = 0.04;
    private static final double MARGIN_END = 0.08;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void shouldBeatTheConstantPredictorLoseAtTheDriftAndRecover() throws IOException {
        @SuppressWarnings("unchecked")
        final LearnerType<SparseExample> type = (LearnerType<SparseExample>) LearnerCatalog.find("ftrl");
        final OnlineLearner<SparseExample> learner =
                type.create(HyperParameters.resolve(type.hyperParameters(), Map.of()));
        final SparseExample example = type.newExample();
        final float[] out = new float[learner.outputSize()];
        final PrequentialMetrics metrics = new PrequentialMetrics(WINDOW);
        // The same window scored by the true model: the best loss any learner could reach there.
        final PrequentialMetrics truth = new PrequentialMetrics(WINDOW);

        final ClickStream stream =
                ClickStream.builder().seed(2013).events(EVENTS).driftAt(DRIFT_AT).users(10_000).build();
        Window before = null;
        Window after = null;
        final long start = System.nanoTime();
        while (stream.hasNext()) {
            decode(stream.next(), example);
            assertEquals(stream.label(), example.label(), "decoded label");
            learner.predict(example, NO_KEY_STATE, out);
            metrics.record(out[0], example.label());
            truth.record((float) stream.trueClickProbability(), example.label());
            learner.learn(example, NO_KEY_STATE);

            final long seen = stream.index() + 1;
            if (seen == DRIFT_AT) {
                before = new Window("last " + WINDOW + " before the drift", metrics, truth);
            } else if (seen == DRIFT_AT + WINDOW) {
                after = new Window("first " + WINDOW + " after the drift", metrics, truth);
            }
        }
        final Window end = new Window("last " + WINDOW + " of the stream", metrics, truth);
        final double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println("FTRL (defaults) on ClickStream seed 2013, " + EVENTS + " events, drift at " + DRIFT_AT
                + String.format(", %.1f s", seconds));
        System.out.println(before);
        System.out.println(after);
        System.out.println(end);

        assertTrue(before.loss < before.constant - MARGIN_BEFORE,
                "before the drift the learner must beat the constant predictor by " + MARGIN_BEFORE + ": " + before);
        assertTrue(after.loss > before.loss + RISE,
                "the loss must rise by " + RISE + " just after the drift: " + before + " then " + after);
        assertTrue(after.regret() > before.regret() + RISE,
                "the loss must rise relative to the true model's too: " + before + " then " + after);
        assertTrue(end.loss < before.loss + RECOVERED,
                "by the end the loss must be back within " + RECOVERED + " of its pre-drift level: "
                        + before + " then " + end);
        assertTrue(end.loss < end.constant - MARGIN_END,
                "by the end the learner must beat the constant predictor by " + MARGIN_END + " again: " + end);
    }


    /**
     * Decodes an event the way the engine's decoder does: a numeric feature becomes its hashed name
     * with its value, a string feature its name-seeded hashed value with value 1. The learner adds
     * the bias itself.
     */
    private void decode(final byte[] json, final SparseExample example) throws IOException {
        example.clear();
        final JsonNode event = mapper.readTree(json);
        for (final Map.Entry<String, JsonNode> feature : event.get("features").properties()) {
            final String name = feature.getKey();
            final JsonNode value = feature.getValue();
            if (value.isNumber()) {
                example.add(FeatureHasher.hash(name), (float) value.doubleValue());
            } else {
                final char[] chars = value.textValue().toCharArray();
                example.add(FeatureHasher.hash(FeatureHasher.hash(name), chars, 0, chars.length), 1f);
            }
        }
        final JsonNode label = event.get("label");
        if (label != null) {
            example.setLabel(label.floatValue());
        }
    }

    /** Metrics of one window, copied when it closes. */
    private static final class Window {
        final String name;
        final double loss;
        final double constant;
        final double bayes;
        final double auc;
        final double accuracy;
        final double baseRate;

        Window(final String name, final PrequentialMetrics metrics, final PrequentialMetrics truth) {
            this.name = name;
            this.loss = metrics.logLoss();
            this.constant = metrics.baselineLogLoss();
            this.bayes = truth.logLoss();
            this.auc = metrics.auc();
            this.accuracy = metrics.accuracy();
            this.baseRate = metrics.baseRate();
        }

        /** How far the learner's loss is above the true model's. */
        double regret() {
            return loss - bayes;
        }

        @Override
        public String toString() {
            return String.format("%s: log loss %.4f (constant %.4f, true model %.4f, regret %.4f), auc %.4f,"
                    + " accuracy %.4f, click rate %.4f",
                    name, loss, constant, bayes, regret(), auc, accuracy, baseRate);
        }
    }
}
