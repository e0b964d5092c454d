package io.eddy.state.internal;

import io.eddy.learners.api.DenseParameters;
import io.eddy.state.api.ModelMeta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the state-format compatibility fixtures under {@code src/test/resources/compat/v<N>}. Run it
 * once when a format version is released, commit its output, and never regenerate an old version:
 * {@link StateCompatibilityTest} must go on reading what that version wrote.
 */
public final class CompatFixtures {
    static final ModelMeta META = new ModelMeta("ctr", "ftrl", 4, 123_456, false,
            Map.of("alpha", 0.1, "beta", 1.0, "l1", 0.5, "l2", 1.0, "hashBits", 20.0));

    /** Block 1 of a 2-block, 8-float parameter set with values no test could get by accident. */
    static DenseParameters parameters() {
        final DenseParameters params = new DenseParameters(8, 4);
        final float[] values = params.values();
        values[4] = 0.125f;
        values[5] = -3.5f;
        values[6] = Float.MIN_NORMAL;
        values[7] = 1e30f;
        return params;
    }

    public static void main(final String[] args) throws IOException {
        final Path dir = Path.of(args.length > 0 ? args[0]
                : "state/src/test/resources/compat/v" + StateCodec.FORMAT_VERSION);
        Files.createDirectories(dir);
        Files.write(dir.resolve("meta.bin"), StateCodec.encodeMeta(META));
        Files.write(dir.resolve("block-1.bin"), StateCodec.encodeBlock(parameters(), 1));
    }
}
