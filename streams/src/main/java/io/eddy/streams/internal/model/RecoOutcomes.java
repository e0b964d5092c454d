package io.eddy.streams.internal.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.learners.api.LossWindow;
import io.eddy.learners.reco.RecoExample;
import java.io.IOException;

/**
 * A recommendation model's outcomes: a request's {@code "items":[{"item","score"}...]}, best first; an
 * interaction's {@code "rating"} (mf, the predicted rating) or {@code "score"} (implicit). Quality: the
 * mean loss of the learned interactions (mf: squared error, so {@code "rmse"} too).
 */
final class RecoOutcomes implements Outcomes<RecoExample> {
    private final boolean explicit;
    private final LossWindow quality;

    RecoOutcomes(final boolean explicit, final int window) {
        this.explicit = explicit;
        this.quality = new LossWindow(window);
    }

    @Override
    public void writePrediction(final JsonGenerator json, final RecoExample example, final float[] output)
            throws IOException {
        if (example.isRequest()) {
            json.writeArrayFieldStart("items");
            for (int r = 0; r < example.answered(); r++) {
                json.writeStartObject();
                json.writeStringField("item", example.answerItem(r));
                json.writeNumberField("score", example.answerScore(r));
                json.writeEndObject();
            }
            json.writeEndArray();
            return;
        }
        json.writeNumberField(explicit ? "rating" : "score", output[0]);
    }

    @Override
    public void record(final RecoExample example, final float[] output, final float loss) {
        quality.record(loss, false);
    }

    @Override
    public void report(final ObjectNode json) {
        json.put("window", quality.count());
        TaskMetrics.putFinite(json, "loss", quality.meanLoss());
        if (explicit) {
            TaskMetrics.putFinite(json, "rmse", Math.sqrt(quality.meanLoss()));
        }
    }
}
