package io.eddy.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.kernels.api.Activation;
import io.eddy.kernels.api.DeviceFloats;
import io.eddy.kernels.api.DeviceInts;
import io.eddy.kernels.api.RecurrentCell;
import io.eddy.kernels.api.RtrlStage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Edges of the backend contract where the CPU backend and the shared argument checks went wrong once. */
class CpuBackendContractTest {

    /**
     * A batch stride so large that {@code (batch - 1)·stride} passes the long range is refused: the end the
     * check computed once wrapped to a negative number, which passed, and the CPU wrote the second product
     * over another part of the buffer (a CUDA kernel would have written far outside the allocation).
     */
    @Test
    void aBatchStrideBeyondTheBufferIsRejectedEvenWhenItsProductWraps() {
        try (CpuBackend cpu = new CpuBackend(1, false)) {
            final DeviceFloats a = cpu.allocateFloats(1);
            final DeviceFloats b = cpu.allocateFloats(1);
            final DeviceFloats c = cpu.allocateFloats(4);
            cpu.upload(new float[] {2f}, 0, a, 0, 1);
            cpu.upload(new float[] {3f}, 0, b, 0, 1);
            cpu.upload(new float[] {-1f, -1f, -1f, -1f}, 0, c, 0, 4);
            final Throwable thrown = assertThrows(RuntimeException.class,
                    () -> cpu.gemm(false, false, 1, 1, 1, 1f, a, 0, 1, b, 0, 1, 0f, c, 1, 1,
                            2, 0, 0, Long.MAX_VALUE));
            assertTrue(thrown instanceof IndexOutOfBoundsException || thrown instanceof IllegalArgumentException,
                    thrown.toString());
            final float[] after = new float[4];
            cpu.download(c, 0, after, 0, 4);
            assertArrayEquals(new float[] {-1f, -1f, -1f, -1f}, after, "nothing written");
        }
    }

    /**
     * The contract is {@code C = alpha·op(A)·op(B) + beta·C}, and only beta == 0 ignores what it multiplies:
     * with alpha 0 a NaN in A gives NaN, as the CUDA kernels compute it (the CPU once skipped the product).
     */
    @Test
    void alphaZeroStillMultipliesANonFiniteProductAsTheContractAndTheGpuDo() {
        try (CpuBackend cpu = new CpuBackend(1, false)) {
            final DeviceFloats a = cpu.allocateFloats(1);
            final DeviceFloats b = cpu.allocateFloats(1);
            final DeviceFloats c = cpu.allocateFloats(1);
            cpu.upload(new float[] {Float.NaN}, 0, a, 0, 1);
            cpu.upload(new float[] {1f}, 0, b, 0, 1);
            cpu.gemm(false, false, 1, 1, 1, 0f, a, 0, 1, b, 0, 1, 0f, c, 0, 1, 1, 0, 0, 0);
            final float[] got = new float[1];
            cpu.download(c, 0, got, 0, 1);
            assertTrue(Float.isNaN(got[0]), "0·NaN + 0·C should be NaN, got " + got[0]);
        }
    }

    /**
     * The contract lets sum and refused share a buffer with g as long as they do not overlap what is read of
     * it, {@code b·gStride + j} for j below cols: a sum in the gap between two strided rows is accepted (it
     * was once refused for lying within g's span), one overlapping a row is not.
     */
    @Test
    void aSumInTheGapBetweenStridedGradientRowsIsAccepted() {
        try (CpuBackend cpu = new CpuBackend(1, false)) {
            final DeviceFloats buffer = cpu.allocateFloats(8);
            // g rows at [0, 2) and [6, 8) (stride 6); sum at [2, 4); take and refused elsewhere
            cpu.upload(new float[] {1f, 2f, 0f, 0f, 0f, 0f, 3f, 4f}, 0, buffer, 0, 8);
            final DeviceFloats flags = cpu.allocateFloats(4);
            cpu.upload(new float[] {1f, 1f, 0f, 0f}, 0, flags, 0, 4);
            cpu.accumulateGradients(2, 2, 0, buffer, 0, 6, flags, 0, buffer, 2, flags, 2);
            final float[] got = new float[8];
            cpu.download(buffer, 0, got, 0, 8);
            assertArrayEquals(new float[] {1f, 2f, 4f, 6f, 0f, 0f, 3f, 4f}, got);
            // a sum that does overlap a row read is still refused
            assertThrows(IllegalArgumentException.class,
                    () -> cpu.accumulateGradients(2, 2, 0, buffer, 0, 6, flags, 0, buffer, 5, flags, 2));
        }
    }

    /**
     * The contract's overlap rules are checked for every operation that states one, before anything is written:
     * a dense layer's y over its x or its weights, goodness sums over the rows they are computed from, and an
     * element-wise or row-wise result shifted against its input (on a GPU its threads would race; the CPU's
     * answer would depend on its loop order). Exactly in place stays allowed.
     */
    @Test
    void overlapsTheContractForbidsAreRefusedAndNothingIsWritten() {
        try (CpuBackend cpu = new CpuBackend(1, false)) {
            final DeviceFloats buffer = cpu.allocateFloats(16);
            final float[] before = new float[16];
            for (int i = 0; i < before.length; i++) {
                before[i] = i + 1;
            }
            cpu.upload(before, 0, buffer, 0, 16);
            final DeviceFloats other = cpu.allocateFloats(16);
            final List<Executable> refused = List.of(
                    // x at [0, 4), W at [4, 8), bias at [8, 10), y (2×2) over x, W and the bias in turn
                    () -> cpu.denseLayer(Activation.IDENTITY, 2, 2, 2, buffer, 0, buffer, 4, 8,
                            buffer, 2),
                    () -> cpu.denseLayer(Activation.IDENTITY, 2, 2, 2, buffer, 0, buffer, 4, 8,
                            buffer, 6),
                    () -> cpu.denseLayer(Activation.IDENTITY, 2, 2, 2, buffer, 0, buffer, 4, 8,
                            buffer, 9),
                    () -> cpu.rowSumOfSquaresAndNormalize(2, 4, 1e-8f, buffer, 0, buffer, 7, other, 0),
                    () -> cpu.rowSumOfSquaresAndNormalize(2, 4, 1e-8f, other, 0, buffer, 3, buffer, 0),
                    () -> cpu.rowSumOfSquaresAndNormalize(2, 4, 1e-8f, buffer, 0, other, 0, buffer, 4),
                    () -> cpu.rowNormalize(2, 4, 1e-8f, buffer, 0, buffer, 4),
                    () -> cpu.rowSumOfSquares(2, 4, buffer, 0, buffer, 1),
                    () -> cpu.activate(Activation.TANH, 8, buffer, 0, buffer, 1),
                    () -> cpu.axpy(8, 1f, buffer, 1, buffer, 0),
                    () -> cpu.activationBackward(Activation.TANH, 4, buffer, 0, other, 0,
                            buffer, 2));
            for (final Executable call : refused) {
                final IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, call);
                assertTrue(thrown.getMessage().contains("overlaps"), thrown.getMessage());
            }
            final float[] after = new float[16];
            cpu.download(buffer, 0, after, 0, 16);
            assertArrayEquals(before, after, "nothing written");
            // in place is what the contract allows
            cpu.rowNormalize(2, 4, 0f, buffer, 0, buffer, 0);
            cpu.activate(Activation.RELU, 8, buffer, 8, buffer, 8);
            cpu.download(buffer, 0, after, 0, 16);
            assertEquals(1f, after[0] * after[0] + after[1] * after[1] + after[2] * after[2] + after[3] * after[3],
                    1e-6f);
            assertEquals(9f, after[8]);
        }
    }

    /**
     * A gather into the table it reads, a scatter-add from the table it writes, and an rtrl stage's features
     * written over the inputs it reads are refused: on a GPU each is a race between threads (the CPU gave
     * {b, b} for rows {1, 0} gathered over a table {a, b}). Features beyond the stage's inputs in the same
     * buffer, as the batched rtrl step lays them out, stay allowed.
     */
    @Test
    void indexedRowsAndRtrlFeaturesMayNotOverlapWhatTheyRead() {
        try (CpuBackend cpu = new CpuBackend(1, false)) {
            final DeviceFloats table = cpu.allocateFloats(4);
            final DeviceInts rows = cpu.allocateInts(2);
            cpu.upload(new float[] {10f, 20f, 30f, 40f}, 0, table, 0, 4);
            cpu.upload(new int[] {1, 0}, 0, rows, 0, 2);
            assertThrows(IllegalArgumentException.class, () -> cpu.gatherRows(2, 1, table, rows, 0, table, 0));
            assertThrows(IllegalArgumentException.class, () -> cpu.scatterAddRows(2, 1, 1f, table, 2, rows, 0, table));
            final float[] after = new float[4];
            cpu.download(table, 0, after, 0, 4);
            assertArrayEquals(new float[] {10f, 20f, 30f, 40f}, after, "nothing written");

            // two keys of one diagonal unit with two inputs: rows of width 3, inputs in [0, 2), the feature at 2
            final RtrlStage stage = new RtrlStage(RecurrentCell.DIAGONAL, 2, 1, 2, 0, 0,
                    RecurrentCell.DIAGONAL.stateSize(2));
            final DeviceFloats params = cpu.allocateFloats(stage.unitParameters());
            final DeviceFloats pre = cpu.allocateFloats(stage.cell().gates() * 2);
            final DeviceFloats input = cpu.allocateFloats(6);
            final DeviceFloats state = cpu.allocateFloats(2 * stage.unitState());
            final DeviceFloats trace = cpu.allocateFloats(2 * Math.max(1, stage.unitTrace()));
            assertThrows(IllegalArgumentException.class,
                    () -> cpu.rtrlForward(stage, true, params, pre, input, 3, state, trace, input, 1, 3),
                    "a feature over the second input of its row");
            cpu.rtrlForward(stage, true, params, pre, input, 3, state, trace, input, 2, 3);
        }
    }
}
