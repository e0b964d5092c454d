package io.eddy.state.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.learners.api.DenseParameters;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** State written by released formats still reads back exactly (fixtures made by {@link CompatFixtures}). */
class StateCompatibilityTest {

    private static byte[] fixture(final String name) throws IOException {
        try (InputStream in = StateCompatibilityTest.class.getResourceAsStream("/compat/v1/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void shouldReadFormatV1Meta() throws IOException {
        assertEquals(CompatFixtures.META, StateCodec.decodeMeta(fixture("meta.bin")));
    }

    @Test
    void shouldReadFormatV1ParameterBlock() throws IOException {
        final DenseParameters restored = new DenseParameters(8, 4);
        StateCodec.decodeBlock(fixture("block-1.bin"), restored, 1);
        assertArrayEquals(CompatFixtures.parameters().values(), restored.values());
    }
}
