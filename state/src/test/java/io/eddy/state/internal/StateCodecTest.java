package io.eddy.state.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.learners.api.DenseParameters;
import io.eddy.state.api.ModelMeta;
import io.eddy.state.api.StateFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateCodecTest {

    @Test
    void shouldRoundTripMeta() {
        final ModelMeta meta = new ModelMeta("ctr", "ftrl", 3, 12_345, true, Map.of("alpha", 0.1, "hashBits", 20.0));
        assertEquals(meta, StateCodec.decodeMeta(StateCodec.encodeMeta(meta)));
    }

    @Test
    void shouldEncodeBlockAsVersionThenLittleEndianFloats() {
        final DenseParameters params = new DenseParameters(8, 4);
        params.values()[4] = 1.5f;
        params.values()[7] = -2f;
        final byte[] bytes = StateCodec.encodeBlock(params, 1);
        assertEquals(StateCodec.FORMAT_VERSION, bytes[0]);
        final ByteBuffer view = ByteBuffer.wrap(bytes, 1, 16).slice().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1.5f, view.getFloat(0));
        assertEquals(-2f, view.getFloat(12));

        final DenseParameters restored = new DenseParameters(8, 4);
        StateCodec.decodeBlock(bytes, restored, 1);
        assertArrayEquals(params.values(), restored.values());
    }

    @Test
    void shouldSkipAllZeroBlocks() {
        assertNull(StateCodec.encodeBlock(new DenseParameters(8, 4), 0));
    }

    @Test
    void shouldRejectUnknownVersionsAndWrongSizes() {
        final DenseParameters params = new DenseParameters(8, 4);
        final byte[] wrongVersion = new byte[17];
        wrongVersion[0] = 9;
        assertTrue(assertThrows(StateFormatException.class, () -> StateCodec.decodeBlock(wrongVersion, params, 0))
                .getMessage().contains("format version 9"));
        final byte[] truncated = Arrays.copyOf(new byte[] {StateCodec.FORMAT_VERSION}, 9);
        assertThrows(StateFormatException.class, () -> StateCodec.decodeBlock(truncated, params, 0));
        final byte[] meta = StateCodec.encodeMeta(new ModelMeta("m", "ftrl", 1, 0, false, Map.of()));
        assertThrows(StateFormatException.class, () -> StateCodec.decodeMeta(Arrays.copyOf(meta, meta.length - 3)));
        final byte[] longer = Arrays.copyOf(meta, meta.length + 5);
        Arrays.fill(longer, meta.length, longer.length, (byte) 0x7f);
        assertTrue(assertThrows(StateFormatException.class, () -> StateCodec.decodeMeta(longer)).getMessage()
                .contains("5 bytes after its end"));
    }

    @Test
    void shouldRoundTripPerKeyState() {
        final float[] state = {0.25f, -1f, 3e-8f};
        final float[] restored = new float[3];
        StateCodec.decodeEntity(StateCodec.encodeEntity(1234L, state), restored);
        assertEquals(1234L, StateCodec.entityLastSeen(StateCodec.encodeEntity(1234L, state)));
        assertArrayEquals(state, restored);
        assertThrows(StateFormatException.class, () -> StateCodec.decodeEntity(StateCodec.encodeEntity(0L, state),
                new float[2]));
        final byte[] truncated = Arrays.copyOf(StateCodec.encodeEntity(1234L, state), 5);
        assertThrows(StateFormatException.class, () -> StateCodec.entityLastSeen(truncated));
    }

    @Test
    void shouldRoundTripACountAndRejectAWrongSize() {
        assertEquals(10_000_000_000L, StateCodec.decodeCount(StateCodec.encodeCount(10_000_000_000L)));
        assertEquals(0L, StateCodec.decodeCount(StateCodec.encodeCount(0L)));
        final byte[] count = StateCodec.encodeCount(3);
        assertThrows(StateFormatException.class, () -> StateCodec.decodeCount(Arrays.copyOf(count, 5)));
    }

    @Test
    void shouldKeepEachSnapshotsBlocksInItsOwnKeyRange() {
        final byte[] prefix = StateKeys.snapshotBlocksPrefix("v1").get();
        final byte[] own = StateKeys.snapshotBlock("v1", Integer.MAX_VALUE).get();
        final byte[] longerName = StateKeys.snapshotBlock("v10", 0).get();
        assertTrue(Arrays.equals(own, 0, prefix.length, prefix, 0, prefix.length));
        assertFalse(Arrays.equals(longerName, 0, prefix.length, prefix, 0, prefix.length),
                "snapshot v10's blocks must not start with v1's prefix");
        assertEquals(77, StateKeys.blockIndex(StateKeys.block(77)));
        assertEquals(5, StateKeys.blockIndex(StateKeys.snapshotBlock("v1", 5)));
    }

    /** A per-key state cut inside its header or inside a float is reported in bytes, not in whole floats. */
    @Test
    void shouldReportATruncatedPerKeyStateInBytes() {
        final byte[] state = StateCodec.encodeEntity(1234L, new float[] {1f, 2f, 3f});
        final String cutInHeader = assertThrows(StateFormatException.class,
                () -> StateCodec.decodeEntity(Arrays.copyOf(state, 5), new float[3])).getMessage();
        assertEquals("per-key state has 5 bytes, expected 21 (3 floats)", cutInHeader);
        final String cutInFloat = assertThrows(StateFormatException.class,
                () -> StateCodec.decodeEntity(Arrays.copyOf(state, state.length - 1), new float[3])).getMessage();
        assertEquals("per-key state has 20 bytes, expected 21 (3 floats)", cutInFloat);
    }
}
