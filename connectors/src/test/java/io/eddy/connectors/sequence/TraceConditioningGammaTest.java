package io.eddy.connectors.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A discount close to 1 sums a long future: the builder refuses one it cannot hold, at once. */
class TraceConditioningGammaTest {
    @Test
    void shouldRefuseAGammaWhoseHorizonIsTooLongInsteadOfHanging() {
        // 1 - 1e-9 needs ~2.8e10 steps: the horizon was counted one by one in an int and never ended
        final TraceConditioning.Builder builder = TraceConditioning.builder().gamma(1 - 1e-9);
        final IllegalArgumentException refused = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(IllegalArgumentException.class, builder::build));
        assertEquals("gamma 0.999999999 is too close to 1: its target would sum more than 16777216 future steps",
                refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TraceConditioning.builder().gamma(1 - 1e-7).build());
    }

    @Test
    void shouldAcceptALongButBoundedHorizon() {
        final TraceConditioning stream = TraceConditioning.builder().gamma(0.9999).events(10).build();
        assertEquals(1.0, stream.gamma() + 1e-4, 1e-12);
        assertEquals(10, Stream.generate(stream::next).limit(10).count());
    }
}
