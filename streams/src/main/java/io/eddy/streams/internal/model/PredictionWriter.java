package io.eddy.streams.internal.model;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.eddy.streams.internal.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a prediction: {@code {"model","generation","updates","id", <the outcome's fields>,"loss"?}}.
 * Reuses one buffer; each call returns a fresh array because Kafka keeps the value until it is sent.
 *
 * @param <E> the learner's example type
 */
final class PredictionWriter<E> {
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(256);
    private final String model;
    private final Outcomes<E> outcomes;

    PredictionWriter(final String model, final Outcomes<E> outcomes) {
        this.model = model;
        this.outcomes = outcomes;
    }

    /** {@code loss} is NaN for an unlabelled event. */
    byte[] write(final long generation, final long updates, final String eventId, final E example,
                 final float[] output, final float loss) {
        buffer.reset();
        try (JsonGenerator json = Json.FACTORY.createGenerator(buffer, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("model", model);
            json.writeNumberField("generation", generation);
            json.writeNumberField("updates", updates);
            json.writeStringField("id", eventId);
            outcomes.writePrediction(json, example, output);
            if (!Float.isNaN(loss)) {
                json.writeNumberField("loss", loss);
            }
            json.writeEndObject();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }
}
