package io.eddy.learners.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Rows made on first sight, seeded by id alone, found again, evicted when idle or over capacity. */
class EmbeddingTableTest {
    private static float[] row(final EmbeddingTable table, final String id) {
        final int slot = table.find(id);
        return Arrays.copyOfRange(table.values(), slot * table.width(), (slot + 1) * table.width());
    }

    @Test
    void shouldCreateARowOnFirstSightSeededByTheIdAlone() {
        final EmbeddingTable forward = new EmbeddingTable(5, 1, 0.1f, 7, 2);
        final EmbeddingTable backward = new EmbeddingTable(5, 1, 0.1f, 7, 2);
        for (int i = 0; i < 100; i++) {
            forward.getOrCreate("item" + i, i);
            backward.getOrCreate("item" + (99 - i), i);
        }
        assertEquals(100, forward.liveRows());
        assertEquals(100, forward.created());
        for (int i = 0; i < 100; i++) {
            final float[] a = row(forward, "item" + i);
            assertArrayEquals(a, row(backward, "item" + i), "the order of arrival does not matter");
            assertEquals(0f, a[0], "the bias starts at 0");
            for (int j = 1; j < 5; j++) {
                assertTrue(Math.abs(a[j]) <= 0.1f && a[j] != 0f);
            }
        }
        assertNotEquals(row(forward, "item1")[1], row(forward, "item2")[1]);
        assertEquals(forward.find("item5"), forward.getOrCreate("item5", 200), "seen again: the same row");
        assertEquals(100, forward.created());
    }

    @Test
    void shouldEvictIdleRowsAndReuseTheirSlots() {
        final EmbeddingTable table = new EmbeddingTable(2, 0, 1f, 1, 4);
        for (int i = 0; i < 10; i++) {
            table.getOrCreate("a" + i, i);
        }
        assertEquals(5, table.evictIdle(10, 5), "seen at 0..4 are idle for more than 5 at 10");
        assertEquals(5, table.liveRows());
        assertEquals(-1, table.find("a3"));
        assertTrue(table.find("a7") >= 0);
        final int limit = table.slotLimit();
        table.getOrCreate("b", 11);
        assertEquals(limit, table.slotLimit(), "a freed slot is reused");
        assertEquals(5, table.evicted());
    }

    @Test
    void shouldEvictTheLeastRecentlySeenOverCapacity() {
        final EmbeddingTable table = new EmbeddingTable(1, 0, 1f, 1, 4);
        for (int i = 0; i < 20; i++) {
            table.getOrCreate("x" + i, i);
        }
        table.getOrCreate("x0", 100);
        assertEquals(12, table.evictOver(8));
        assertEquals(8, table.liveRows());
        assertTrue(table.find("x0") >= 0, "x0 was seen last");
        for (int i = 13; i < 20; i++) {
            assertTrue(table.find("x" + i) >= 0, "x" + i);
        }
        assertEquals(-1, table.find("x12"));
        assertEquals(0, table.evictOver(8));
    }

    @Test
    void shouldKeepEveryIdApartUnderChurnLikeAMap() {
        final EmbeddingTable table = new EmbeddingTable(1, 1, 0f, 3, 8);
        final Map<String, Float> reference = new HashMap<>();
        final SplittableRandom random = new SplittableRandom(5);
        for (int step = 0; step < 50_000; step++) {
            final String id = "id" + random.nextInt(3_000);
            final int slot = table.getOrCreate(id, step);
            final float bump = random.nextInt(100);
            table.values()[slot] += bump;
            reference.merge(id, bump, Float::sum);
            if (step % 5_000 == 4_999) {
                table.evictOver(1_000);
                reference.keySet().removeIf(key -> table.find(key) < 0);
            }
        }
        assertEquals(reference.size(), table.liveRows());
        reference.forEach((id, sum) -> assertEquals(sum, table.values()[table.find(id)], id));
        assertFalse(table.live(table.slotLimit()));
    }

    @Test
    void shouldGoOnExactlyAsBeforeWhenRestoredFromItsChangedRows() {
        final EmbeddingTable original = new EmbeddingTable(3, 1, 0.5f, 9, 4);
        final Map<String, float[]> saved = new HashMap<>();
        final Map<String, long[]> where = new HashMap<>();
        final EmbeddingTable.ChangeSink sink = new EmbeddingTable.ChangeSink() {
            @Override
            public void row(final String id, final int slot, final long seen, final float[] values, final int at) {
                saved.put(id, Arrays.copyOfRange(values, at, at + 3));
                where.put(id, new long[] {slot, seen});
            }

            @Override
            public void evicted(final String id) {
                saved.remove(id);
                where.remove(id);
            }
        };
        final SplittableRandom random = new SplittableRandom(4);
        for (int step = 0; step < 3_000; step++) {
            final int slot = original.getOrCreate("k" + random.nextInt(400), step);
            original.values()[slot * 3] += 1f;
            if (step % 500 == 499) {
                original.evictIdle(step, 300);
                original.drainChanges(sink);
            }
        }
        original.drainChanges(sink);
        assertEquals(original.liveRows(), saved.size());
        final EmbeddingTable restored = new EmbeddingTable(3, 1, 0.5f, 9, 4);
        saved.forEach((id, row) -> restored.restore(id, (int) where.get(id)[0], where.get(id)[1], row, 0));
        assertEquals(original.slotLimit(), restored.slotLimit(), "a sampler by slot draws alike");
        for (int step = 3_000; step < 6_000; step++) {
            final String id = "k" + random.nextInt(600);
            final int a = original.getOrCreate(id, step);
            final int b = restored.getOrCreate(id, step);
            assertEquals(a, b, "the same slot for " + id + " at step " + step);
            original.values()[a * 3] += 1f;
            restored.values()[b * 3] += 1f;
            if (step % 700 == 0) {
                assertEquals(original.evictIdle(step, 200), restored.evictIdle(step, 200));
                assertEquals(original.slotLimit(), restored.slotLimit());
            }
        }
        assertArrayEquals(Arrays.copyOf(original.values(), original.slotLimit() * 3),
                Arrays.copyOf(restored.values(), restored.slotLimit() * 3));
    }

    @Test
    void shouldReportEvictedIdsOnlyWhenTheyStayedAway() {
        final EmbeddingTable table = new EmbeddingTable(1, 0, 1f, 1, 4);
        table.getOrCreate("gone", 0);
        table.getOrCreate("back", 0);
        table.getOrCreate("kept", 5);
        table.evictIdle(5, 2);
        table.getOrCreate("back", 6);
        final java.util.List<String> rows = new java.util.ArrayList<>();
        final java.util.List<String> evicted = new java.util.ArrayList<>();
        table.drainChanges(new EmbeddingTable.ChangeSink() {
            @Override
            public void row(final String id, final int slot, final long seen, final float[] values, final int at) {
                rows.add(id);
            }

            @Override
            public void evicted(final String id) {
                evicted.add(id);
            }
        });
        assertEquals(java.util.List.of("gone"), evicted);
        assertEquals(java.util.List.of("back", "kept"), rows, "slot order: back took the lowest free slot, 0");
        assertEquals(0, table.find("back"));
    }

    /**
     * More expected rows than one float array holds is refused by name: the int product rows × width once
     * wrapped, to a negative size or to a small table that the ids outgrew (4097 × 2^20 gave room for 255 rows).
     */
    @Test
    void shouldRefuseMoreExpectedRowsThanOneFloatArrayHolds() {
        final IllegalArgumentException wrapped = assertThrows(IllegalArgumentException.class,
                () -> new EmbeddingTable(4097, 1, 0.1f, 1, 1 << 20));
        assertTrue(wrapped.getMessage().contains("holds at most 524160 rows"), wrapped.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new EmbeddingTable(4097, 1, 0.1f, 1, EmbeddingTable.maxRows(4097) + 1));
        assertEquals(4097, new EmbeddingTable(4097, 1, 0.1f, 1, 4).width(), "a table that fits is built");
    }
}
