package io.eddy.learners.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.kernels.api.ComputeBackend;
import io.eddy.kernels.cpu.CpuBackend;
import io.eddy.kernels.cuda.CudaBackend;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.DenseParameters;
import io.eddy.learners.api.EventGroup;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.ff.FfType;
import io.eddy.learners.ff.MlpType;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forward-forward and its backprop baseline on the CUDA backend, where a GPU is usable (skipped
 * elsewhere; {@code kernels/gpu/run.sh} runs it on the GPU machine). On CUDA every answer pass computes
 * the pass's full capacity of rows, so a group is stepped bit for bit as its events one by one; and the
 * net answers and learns what the CPU backend's does, to float rounding (with SGD, whose steps carry a
 * gradient's rounding along in proportion; Adam's would turn the sign of a near-zero gradient into a
 * whole step).
 */
class FfLearnerCudaTest {
    private static final int INPUTS = 40;
    private static final int CLASSES = 10;

    private static ComputeBackend cuda;
    private static String unavailable = "";

    @BeforeAll
    static void openBackend() {
        try {
            cuda = CudaBackend.open();
        } catch (IllegalStateException e) {
            unavailable = e.getMessage();
        }
    }

    @BeforeEach
    void requireGpu() {
        // on the GPU machine (kernels/gpu/run.sh) a CUDA that does not open is a failure, not a skip
        Assertions.assertFalse(cuda == null && "1".equals(System.getenv("EDDY_REQUIRE_GPU")),
                () -> "EDDY_REQUIRE_GPU=1 but CUDA did not open: " + unavailable);
        Assumptions.assumeTrue(cuda != null, "no usable GPU, CUDA learner test skipped: " + unavailable);
    }

    @AfterAll
    static void closeBackend() {
        if (cuda != null) {
            cuda.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static OnlineLearner<DenseExample> learner(final String type, final int hidden, final int batch,
                                                       final ComputeBackend backend) {
        final LearnerType<DenseExample> t = (LearnerType<DenseExample>) (type.equals("ff") ? new FfType()
                : new MlpType());
        final Map<String, Object> params = new HashMap<>(Map.of("inputs", INPUTS, "outputs", CLASSES, "hidden", hidden,
                "layers", 2, "batch", batch, "optimizer", "sgd", "learningRate", 0.1, "negatives", "random"));
        if (type.equals("mlp")) {
            params.remove("negatives");
        }
        return t.create(HyperParameters.resolve(t.hyperParameters(), HyperParameters.coerce(t.hyperParameters(),
                params)), backend);
    }

    /** Seeded events: the label is the largest of the first ten inputs; about one in five unlabelled. */
    private static void next(final SplittableRandom random, final DenseExample example) {
        example.clear();
        final float[] x = example.input(INPUTS);
        int label = 0;
        for (int j = 0; j < INPUTS; j++) {
            x[j] = (float) random.nextDouble();
            if (j < CLASSES && x[j] > x[label]) {
                label = j;
            }
        }
        if (random.nextInt(5) > 0) {
            example.setLabel(label);
        }
    }

    /**
     * Small nets, against the CPU within rounding; and nets of 1,024 units, whose answer passes (about 510
     * rows by 1,024) are large enough for the 128-tile product kernels that the benchmark's nets run, where
     * the CPU is only a check that the answers are sane (sums of 1,024 products round differently).
     */
    static Stream<Arguments> nets() {
        return Stream.of(Arguments.of("ff", 64, 8, 1e-4f, 1e-3f), Arguments.of("mlp", 64, 8, 1e-4f, 1e-3f),
                Arguments.of("ff", 1024, 64, 1e-2f, 1e-2f), Arguments.of("mlp", 1024, 64, 1e-2f, 1e-2f));
    }

    @ParameterizedTest(name = "{0}, hidden {1}, batch {2}")
    @MethodSource("nets")
    void shouldStepAGroupAsItsEventsOneByOneAndAsTheCpuDoes(final String type, final int hidden, final int batch,
                                                            final float answerTolerance,
                                                            final float parameterTolerance) {
        try (CpuBackend cpu = new CpuBackend()) {
            final OnlineLearner<DenseExample> grouped = learner(type, hidden, batch, cuda);
            final OnlineLearner<DenseExample> oneByOne = learner(type, hidden, batch, cuda);
            final OnlineLearner<DenseExample> onCpu = learner(type, hidden, batch, cpu);
            final EventGroup<DenseExample> group = new EventGroup<>(grouped.groupCapacity(), DenseExample::new, 0,
                    CLASSES);
            final SplittableRandom events = new SplittableRandom(3);
            final SplittableRandom sizes = new SplittableRandom(4);
            final float[] out = new float[CLASSES];
            final float[] cpuOut = new float[CLASSES];
            for (int round = 0; round < 30; round++) {
                group.clear();
                for (int i = 1 + sizes.nextInt(group.capacity()); i > 0; i--) {
                    final DenseExample example = group.next();
                    next(events, example);
                    group.add(example.labelled());
                }
                grouped.step(group, true);
                for (int slot = 0; slot < group.size(); slot++) {
                    final DenseExample example = group.example(slot);
                    final String at = type + ", round " + round + ", slot " + slot;
                    oneByOne.predict(example, null, out);
                    onCpu.predict(example, null, cpuOut);
                    assertArrayEquals(out, group.output(slot), at + ": grouped against one by one on CUDA");
                    assertArrayEquals(cpuOut, out, answerTolerance, at + ": CUDA against the CPU");
                    if (example.labelled()) {
                        assertEquals(oneByOne.learn(example, null), group.loss(slot), at);
                        onCpu.learn(example, null);
                    }
                }
            }
            assertArrayEquals(values(oneByOne), values(grouped), type + ": the same model, bit for bit");
            final float[] cpuValues = values(onCpu);
            final float[] cudaValues = values(grouped);
            for (int i = 0; i < cpuValues.length; i++) {
                assertEquals(cpuValues[i], cudaValues[i], parameterTolerance + 1e-3f * Math.abs(cpuValues[i]),
                        type + ": parameter " + i + " against the CPU's");
            }
        }
    }

    /** The parameters (the host copy, brought up to date with the device's). */
    private static float[] values(final OnlineLearner<DenseExample> learner) {
        return ((DenseParameters) learner.parameters()).values().clone();
    }
}
