package io.eddy.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * bench checks --backend before its long work, as it checks --cell and --batch: a misspelt backend was a usage
 * error found after minutes of work (a million events produced, or reco's whole end-to-end run).
 */
class BenchCommandTest {
    @Test
    void shouldRefuseAnUnknownBackendBeforeProducingForRtrl() {
        final String[] result = run("bench", "rtrl", "--backend", "tpu", "--events", "0", "--no-progress");
        assertEquals(String.valueOf(ExitCode.USAGE), result[0], result[2]);
        assertTrue(result[2].contains("unknown compute backend 'tpu'"), result[2]);
        assertFalse(result[1].contains("producing"), "produced before checking --backend:\n" + result[1]);
    }

    @Test
    void shouldRefuseAnUnknownBackendBeforeTheEndToEndRunForReco() {
        final String[] result = run("bench", "reco", "--backend", "tpu", "--events", "0", "--no-progress");
        assertEquals(String.valueOf(ExitCode.USAGE), result[0], result[2]);
        assertTrue(result[2].contains("unknown compute backend 'tpu'"), "exit " + result[0] + ":\n" + result[2]);
        assertFalse(result[1].contains("producing"), "produced before checking --backend:\n" + result[1]);
    }

    /** Exit code, stdout and stderr of one command line. */
    private static String[] run(final String... args) {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            final int code = Main.execute(args);
            return new String[] {String.valueOf(code), outBytes.toString(StandardCharsets.UTF_8),
                errBytes.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
