package io.eddy.streams.internal.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.learners.api.PrequentialMetrics;
import io.eddy.learners.api.SparseExample;
import java.io.IOException;

/** A binary classifier's outcomes: {@code "probability"} of label 1; log loss, accuracy and AUC. */
final class BinaryOutcomes implements Outcomes<SparseExample> {
    private final PrequentialMetrics quality;

    BinaryOutcomes(final int window) {
        this.quality = new PrequentialMetrics(window);
    }

    @Override
    public void writePrediction(final JsonGenerator json, final SparseExample example, final float[] output)
            throws IOException {
        json.writeNumberField("probability", output[0]);
        if (example.labelled()) {
            json.writeNumberField("label", (int) example.label());
        }
    }

    @Override
    public void record(final SparseExample example, final float[] output, final float loss) {
        quality.record(output[0], example.label());
    }

    @Override
    public void report(final ObjectNode json) {
        json.put("window", quality.count());
        TaskMetrics.putFinite(json, "logLoss", quality.logLoss());
        TaskMetrics.putFinite(json, "baselineLogLoss", quality.baselineLogLoss());
        TaskMetrics.putFinite(json, "accuracy", quality.accuracy());
        TaskMetrics.putFinite(json, "auc", quality.auc());
    }
}
