package io.eddy.state.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

/** Row keys of a table lie in its range and no other, and give their id back. */
class StateKeysTest {
    @Test
    void shouldKeepEachTablesRowsInItsOwnRange() {
        for (final String id : new String[] {"", "i42", "caf\u00e9 \u2603", "\u0000\u00ff"}) {
            final Bytes key = StateKeys.row(3, id);
            assertEquals(id, StateKeys.rowId(key));
            assertTrue(key.compareTo(StateKeys.rowsFrom(3)) >= 0 && key.compareTo(StateKeys.rowsTo(3)) < 0, id);
            assertTrue(key.compareTo(StateKeys.rowsTo(2)) >= 0, "not in table 2's range");
            assertTrue(key.compareTo(StateKeys.rowsFrom(4)) < 0, "not in table 4's range");
            assertTrue(key.compareTo(StateKeys.entitiesTo()) >= 0, "not among the per-key states");
        }
    }
}
