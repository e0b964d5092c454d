package io.eddy.learners.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A deferred host copy ({@link DenseParameters#deferHostCopy}) lands before anything outside reads or writes. */
class DenseParametersTest {
    private static final int BLOCK = 4;

    @Test
    void shouldBringDeferredValuesToTheHostOnceBeforeABlockIsRead() {
        final DenseParameters parameters = new DenseParameters(10, BLOCK);
        final AtomicInteger copies = new AtomicInteger();
        parameters.deferHostCopy(() -> {
            copies.incrementAndGet();
            java.util.Arrays.fill(parameters.values(), 2f);
        });
        final FloatBuffer block = FloatBuffer.allocate(BLOCK);
        parameters.readBlock(1, block);
        assertEquals(2f, block.get(0), "the block read holds the deferred values");
        parameters.readBlock(2, FloatBuffer.allocate(BLOCK));
        parameters.values();
        assertEquals(1, copies.get(), "the copy runs once");
    }

    @Test
    void shouldBringDeferredValuesToTheHostBeforeABlockIsOverwritten() {
        final DenseParameters parameters = new DenseParameters(8, BLOCK);
        parameters.deferHostCopy(() -> java.util.Arrays.fill(parameters.values(), 3f));
        parameters.writeBlock(0, FloatBuffer.wrap(new float[] {1f, 1f, 1f, 1f}));
        final float[] values = parameters.values();
        assertEquals(1f, values[0], "the written block wins");
        assertEquals(3f, values[4], "the block not written holds the deferred values, not stale ones");
        assertEquals(1, parameters.overwrites());
    }

    @Test
    void shouldDropADeferredCopyWhenCleared() {
        final DenseParameters parameters = new DenseParameters(8, BLOCK);
        parameters.deferHostCopy(() -> java.util.Arrays.fill(parameters.values(), 3f));
        parameters.clear();
        parameters.readBlock(1, FloatBuffer.allocate(BLOCK));
        assertEquals(0f, parameters.values()[5], "a cleared model stays cleared");
    }
}
