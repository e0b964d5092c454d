package io.eddy.streams.internal.model;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a prediction: {@code {"model","generation","updates","id","probability","label"?,"loss"?}}.
 * Reuses one buffer; each call returns a fresh array because Kafka keeps the value until it is sent.
 */
final class PredictionWriter {
    private static final JsonFactory FACTORY = new JsonFactory();
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(256);
    private final String model;

    PredictionWriter(final String model) {
        this.model = model;
    }

    /** {@code label} and {@code loss} are NaN for an unlabelled event. */
    byte[] write(final long generation, final long updates, final String eventId, final float probability,
                 final float label, final float loss) {
        buffer.reset();
        try (JsonGenerator json = FACTORY.createGenerator(buffer, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("model", model);
            json.writeNumberField("generation", generation);
            json.writeNumberField("updates", updates);
            json.writeStringField("id", eventId);
            json.writeNumberField("probability", probability);
            if (!Float.isNaN(label)) {
                json.writeNumberField("label", (int) label);
                json.writeNumberField("loss", loss);
            }
            json.writeEndObject();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }
}
