package io.eddy.ops.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A figure that could not be measured stays no figure through the rounding: the evaluations once printed a
 * NaN loss as 0.0 (a perfect score) and an infinite ratio as 9.223372036854776E14, because Math.round takes
 * NaN to 0 and infinity to Long.MAX_VALUE.
 */
class RoundingTest {
    @Test
    void shouldRoundFiguresAndKeepNonFiniteOnesForTheJsonToSayNull() {
        assertEquals(0.1235, Rounding.round(0.123456));
        assertEquals(0.000123, Rounding.round6(0.00012345));
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("mse", Rounding.round6(Double.NaN));
        figures.put("ratio", Rounding.round(Double.POSITIVE_INFINITY));
        figures.put("accuracy", Rounding.round(0.81449));
        assertEquals("{\"mse\":null,\"ratio\":null,\"accuracy\":0.8145}", RtrlEvaluation.json(figures));
    }
}
