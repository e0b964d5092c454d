package io.eddy.streams.internal.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.LossWindow;
import java.io.IOException;

/** A regression model's outcomes: the predicted vector {@code "y"}; mean squared error as {@code "loss"}. */
final class RegressionOutcomes implements Outcomes<DenseExample> {
    private final LossWindow quality;

    RegressionOutcomes(final int window) {
        this.quality = new LossWindow(window);
    }

    @Override
    public void writePrediction(final JsonGenerator json, final DenseExample example, final float[] output)
            throws IOException {
        json.writeArrayFieldStart("y");
        for (final float y : output) {
            json.writeNumber(y);
        }
        json.writeEndArray();
    }

    @Override
    public void record(final DenseExample example, final float[] output, final float loss) {
        quality.record(loss, false);
    }

    @Override
    public void report(final ObjectNode json) {
        json.put("window", quality.count());
        TaskMetrics.putFinite(json, "loss", quality.meanLoss());
    }
}
