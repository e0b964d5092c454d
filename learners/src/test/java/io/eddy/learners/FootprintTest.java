package io.eddy.learners;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.kernels.api.ComputeBackend;
import io.eddy.kernels.cpu.CpuBackend;
import io.eddy.learners.api.DenseParameters;
import io.eddy.learners.api.Footprint;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.rtrl.RtrlLearner;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A learner type counts what its learners allocate, so that the engine refuses one it could not build. */
class FootprintTest {
    private static final long HEAP = 1L << 30;

    private static Map<String, Double> resolved(final LearnerType<?> type, final Map<String, Object> given) {
        return HyperParameters.resolve(type.hyperParameters(), HyperParameters.coerce(type.hyperParameters(), given));
    }

    /** The count covers at least the parameters a built learner holds, in one array and in bytes. */
    @ParameterizedTest
    @CsvSource({"rtrl, 1", "rtrl, 8", "ff, 1", "mlp, 1"})
    void countsAtLeastTheParametersOfABuiltLearner(final String name, final int batch) {
        final LearnerType<?> type = LearnerCatalog.find(name);
        final Map<String, Double> params = resolved(type, Map.of("inputs", 12, "hidden", 24, "batch", batch));
        final Footprint footprint = type.footprint(params);
        final int built = ((DenseParameters) type.create(params).parameters()).values().length;
        assertTrue(footprint.longestArray() >= built, footprint + " against " + built + " parameters");
        assertTrue(footprint.bytes() >= 4.0 * built, footprint + " against " + built + " parameters");
        assertNull(footprint.problem(HEAP), "a small net fits");
    }

    /** Sizes each in range whose products pass an int or the heap: refused, with the reason. */
    @ParameterizedTest
    @CsvSource({
        "rtrl, inputs=1000 hidden=4096 stages=64, longest array",
        "rtrl, inputs=100000 hidden=4096, longest array",
        "rtrl, inputs=1000 hidden=1024 stages=4, of memory",
        "ff, inputs=1000000 batch=4096 hidden=1 layers=1, longest array",
        "ff, outputs=10000 negatives=all batch=4096, longest array",
        "ff, inputs=100000 hidden=2000 layers=2, of memory",
        "mlp, hidden=100000 layers=2, longest array",
        "mlp, inputs=1000000 batch=4096 hidden=1, longest array",
        // z and n of 2^26 hashed weights, 512 MiB: the type once counted nothing, and every task ran out of memory
        "ftrl, hashBits=26, of memory"
    })
    void refusesNetsThatCannotBeBuilt(final String name, final String sizes, final String reason) {
        final LearnerType<?> type = LearnerCatalog.find(name);
        final Map<String, Object> given = new java.util.HashMap<>();
        for (final String size : sizes.split(" ")) {
            final String[] pair = size.split("=");
            given.put(pair[0], pair[1].matches("[0-9]+") ? (Object) Double.parseDouble(pair[1]) : pair[1]);
        }
        final String problem = type.footprint(resolved(type, given)).problem(HEAP);
        assertNotNull(problem, sizes);
        assertTrue(problem.contains(reason), problem);
    }

    /**
     * A batched rtrl net counts what its batched step allocates on the compute backend, and the host's copy
     * of the group's states beside it: the count left out the cell's traces (as large as the states for an
     * eLSTM) and the gates' pre-activations.
     */
    @ParameterizedTest
    @CsvSource({"elstm", "diagonal", "mingru"})
    void aBatchedRtrlNetCountsWhatItsBatchedStepAllocates(final String cell) {
        final LearnerType<?> type = LearnerCatalog.find("rtrl");
        final Map<String, Double> batched = resolved(type, Map.of("inputs", 12, "hidden", 24, "batch", 8,
                "cell", cell));
        final Map<String, Double> single = resolved(type, Map.of("inputs", 12, "hidden", 24, "batch", 1,
                "cell", cell));
        final long[] allocated = new long[1];
        try (CpuBackend cpu = new CpuBackend(1, false)) {
            final ComputeBackend counting = (ComputeBackend) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ComputeBackend.class}, (proxy, method, args) -> {
                        if (method.getName().equals("allocateFloats")) {
                            allocated[0] += (Integer) args[0];
                        }
                        try {
                            return method.invoke(cpu, args);
                        } catch (final InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            type.create(batched, counting);
        }
        final int stateSize = ((RtrlLearner) LearnerCatalog.find("rtrl").create(single)).keyStateSize();
        final double extra = type.footprint(batched).bytes() - type.footprint(single).bytes();
        final double counted = 4.0 * (allocated[0] + 8.0 * stateSize);
        assertTrue(allocated[0] > 0, "the batched step allocated on its backend");
        assertTrue(extra >= counted, "batching adds " + extra + " bytes to the count, but its step allocates "
                + counted);
    }
}
