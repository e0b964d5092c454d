package io.eddy.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * bench checks --backend before its long work, as it checks --cell and --batch: a misspelt backend was a usage
 * error found after minutes of work (rtrl produced a million events first, reco ran its whole end-to-end part).
 */
class BenchCommandTest {
    @ParameterizedTest
    @ValueSource(strings = {"rtrl", "reco"})
    void shouldRefuseAnUnknownBackendBeforeItsLongWork(final String benchmark) {
        final BrokerCommandTest.Run result = BrokerCommandTest.run("bench", benchmark, "--backend", "tpu",
                "--events", "0", "--no-progress");
        assertEquals(ExitCode.USAGE, result.code, result.err);
        assertTrue(result.err.contains("unknown compute backend 'tpu'"), result.err);
        assertFalse(result.out.contains("producing"), "produced before checking --backend:\n" + result.out);
    }
}
