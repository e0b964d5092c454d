package io.eddy.streams.internal.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.LossWindow;
import io.eddy.learners.api.Scores;
import java.io.IOException;

/**
 * A multi-class classifier's outcomes: the predicted {@code "class"} and every class's
 * {@code "probabilities"}; mean cross-entropy {@code "loss"} and {@code "accuracy"}.
 */
final class ClassOutcomes implements Outcomes<DenseExample> {
    private final LossWindow quality;

    ClassOutcomes(final int window) {
        this.quality = new LossWindow(window);
    }

    @Override
    public void writePrediction(final JsonGenerator json, final DenseExample example, final float[] output)
            throws IOException {
        json.writeNumberField("class", Scores.argMax(output));
        json.writeArrayFieldStart("probabilities");
        for (final float p : output) {
            json.writeNumber(p);
        }
        json.writeEndArray();
        if (example.label() >= 0) {
            json.writeNumberField("label", example.label());
        }
    }

    @Override
    public void record(final DenseExample example, final float[] output, final float loss) {
        quality.record(loss, Scores.argMax(output) == example.label());
    }

    @Override
    public void report(final ObjectNode json) {
        json.put("window", quality.count());
        TaskMetrics.putFinite(json, "loss", quality.meanLoss());
        TaskMetrics.putFinite(json, "accuracy", quality.accuracy());
    }
}
