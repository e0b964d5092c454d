package io.eddy.streams.internal.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * What one kind of model's predictions say and how their quality is measured: a binary
 * probability, class scores, or a regression vector. One per task; allocates nothing per event.
 *
 * @param <E> the learner's example type
 */
interface Outcomes<E> {

    /** Writes the prediction's own fields (those after {@code "id"}) for {@code output}. */
    void writePrediction(JsonGenerator json, E example, float[] output) throws IOException;

    /** Records a labelled prediction and its loss in the prequential window. */
    void record(E example, float[] output, float loss);

    /** Adds the window's figures to a metrics report. */
    void report(ObjectNode json);
}
