package io.eddy.state.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

/** Row keys of a table lie in its range and no other, and give their id back. */
class StateKeysTest {
    @Test
    void shouldKeepEachTablesRowsInItsOwnRange() {
        for (final String id : new String[] {"", "i42", "caf\u00e9 \u2603", "\u0000\u00ff"}) {
            final Bytes key = StateKeys.row(3, id);
            assertEquals(id, StateKeys.rowId(key));
            assertTrue(startsWith(key, StateKeys.rowsPrefix(3)), id);
            assertFalse(startsWith(key, StateKeys.rowsPrefix(2)), "not among table 2's rows");
            assertFalse(startsWith(key, StateKeys.rowsPrefix(4)), "not among table 4's rows");
            assertFalse(startsWith(key, StateKeys.entitiesPrefix()), "not among the per-key states");
        }
    }

    private static boolean startsWith(final Bytes key, final Bytes prefix) {
        return key.get().length >= prefix.get().length
                && Arrays.equals(key.get(), 0, prefix.get().length, prefix.get(), 0, prefix.get().length);
    }
}
