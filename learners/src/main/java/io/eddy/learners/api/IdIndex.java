package io.eddy.learners.api;

import java.util.Arrays;

/**
 * Ids to slots, by open addressing with linear probing on plain arrays: no boxing and no allocation
 * per lookup, and removal by backward shift so that no tombstones pile up under churn.
 */
final class IdIndex {
    private static final int EMPTY = -1;
    private String[] keys;
    private int[] slots;
    private int size;

    IdIndex(final int expected) {
        final int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new String[capacity];
        slots = new int[capacity];
        Arrays.fill(slots, EMPTY);
    }

    int size() {
        return size;
    }

    void clear() {
        Arrays.fill(keys, null);
        Arrays.fill(slots, EMPTY);
        size = 0;
    }

    /** The slot of {@code id}, or -1. */
    int get(final String id) {
        final int mask = keys.length - 1;
        for (int i = mix(id.hashCode()) & mask; slots[i] != EMPTY; i = (i + 1) & mask) {
            if (keys[i].equals(id)) {
                return slots[i];
            }
        }
        return EMPTY;
    }

    /** Maps {@code id} (not present) to {@code slot}. */
    void put(final String id, final int slot) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        final int mask = keys.length - 1;
        int i = mix(id.hashCode()) & mask;
        while (slots[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        keys[i] = id;
        slots[i] = slot;
        size++;
    }

    /** Removes {@code id} if present. */
    void remove(final String id) {
        final int mask = keys.length - 1;
        int i = mix(id.hashCode()) & mask;
        while (slots[i] != EMPTY && !keys[i].equals(id)) {
            i = (i + 1) & mask;
        }
        if (slots[i] == EMPTY) {
            return;
        }
        // backward shift: move later entries of the run into the hole when their home allows it
        int hole = i;
        for (int j = (i + 1) & mask; slots[j] != EMPTY; j = (j + 1) & mask) {
            final int home = mix(keys[j].hashCode()) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                slots[hole] = slots[j];
                hole = j;
            }
        }
        keys[hole] = null;
        slots[hole] = EMPTY;
        size--;
    }

    private void grow() {
        final String[] oldKeys = keys;
        final int[] oldSlots = slots;
        keys = new String[oldKeys.length * 2];
        slots = new int[oldKeys.length * 2];
        Arrays.fill(slots, EMPTY);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldSlots[i] != EMPTY) {
                put(oldKeys[i], oldSlots[i]);
            }
        }
    }

    /** Spreads String's hash so that ids differing in their last characters do not cluster. */
    private static int mix(final int h) {
        final int x = h * 0x9E3779B9;
        return x ^ (x >>> 16);
    }
}
