package io.eddy.kernels.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The benchmark in {@code --quick} mode on the CPU: it finishes, its tables are there and its last line
 * is one JSON object with a positive CPU peak and a positive, finite CPU figure for every row. No JSON
 * library is available in this module, so the structure is checked with string scans.
 */
class KernelBenchmarkTest {

    private static final String NUMBER = "-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?";
    private static final List<String> OPS = List.of("gemm", "ff_forward", "ff_answer_layer_composed",
            "ff_answer_layer_fused", "ff_answer_pass", "ff_layer_step", "rtrl_diagonal", "gather_rows",
            "scatter_add_rows", "adam_step");
    /**
     * Quick sizes: gemm 2, forward 2 layers x 2 batches, answer layer composed and fused, answer pass,
     * 1 step, rtrl 2 batches x 2 shapes, 1+1 rows, adam 1.
     */
    private static final int QUICK_ROWS = 17;

    @Test
    void quickCpuRunEndsWithAJsonObjectHoldingEveryFigure() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final int status;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
            status = KernelBenchmark.run("cpu", true, out, err);
        }
        final String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, () -> "stderr: " + errBytes.toString(StandardCharsets.UTF_8) + "\nstdout:\n" + text);

        final String[] lines = text.split("\\R");
        final String json = lines[lines.length - 1];
        assertTrue(json.startsWith("{\"benchmark\":\"kernels\""), json);
        assertTrue(json.endsWith("}"), json);
        assertBalanced(json);
        assertTrue(json.contains("\"cuda\":null"), json);
        assertTrue(json.contains("\"mode\":\"quick\""), json);

        final Matcher peak = Pattern.compile("\"cpu\":\\{[^{}]*\"peakGflops\":(" + NUMBER + ")").matcher(json);
        assertTrue(peak.find(), "no CPU peak in " + json);
        final double peakGflops = Double.parseDouble(peak.group(1));
        assertTrue(peakGflops > 0 && Double.isFinite(peakGflops), "CPU peak " + peakGflops);

        final Matcher rowMatcher = Pattern.compile("\\{\"op\":\"([a-z_]+)\"[^{}]*\\}").matcher(json);
        final List<String> rows = new ArrayList<>();
        while (rowMatcher.find()) {
            rows.add(rowMatcher.group());
        }
        assertEquals(QUICK_ROWS, rows.size(), () -> "result rows: " + rows);
        for (final String op : OPS) {
            assertTrue(json.contains("{\"op\":\"" + op + "\""), () -> "no " + op + " row in " + json);
        }
        for (final String row : rows) {
            final double cpu = number(row, "cpu");
            assertTrue(cpu > 0 && Double.isFinite(cpu), "CPU figure in " + row);
            final double cpuMs = number(row, "cpuMs");
            assertTrue(cpuMs > 0 && Double.isFinite(cpuMs), "CPU time in " + row);
            assertTrue(row.contains("\"cuda\":null") && row.contains("\"ratio\":null"), row);
            if (row.contains("\"unit\":\"GFLOP/s\"")) {
                final double share = number(row, "cpuPeakShare");
                assertTrue(share > 0 && share < 10, "share of the CPU peak in " + row);
            } else {
                assertTrue(row.contains("\"unit\":\"GB/s\"") && row.contains("\"cpuPeakShare\":null"), row);
            }
        }
        final Matcher step = Pattern.compile("\"layerStep\":\\{[^{}]*\"cpuGflops\":(" + NUMBER + ")").matcher(json);
        assertTrue(step.find(), "no layer step in " + json);
        assertTrue(Double.parseDouble(step.group(1)) > 0);

        // the human-readable part: progress lines, one table per section
        assertTrue(text.contains("CPU backend: "), text);
        assertTrue(text.contains("CUDA backend: not run (--backend cpu)"), text);
        assertTrue(text.contains("[7/7] Adam step"), text);
    }

    @Test
    void badBackendIsAUsageErrorOnOneLine() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final int status;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
            status = KernelBenchmark.run("nonsense", true, out, err);
        }
        assertEquals(2, status);
        final String err = errBytes.toString(StandardCharsets.UTF_8).strip();
        assertTrue(err.contains("nonsense") && !err.contains("\n"), err);
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));

        final ByteArrayOutputStream ignored = new ByteArrayOutputStream();
        try (PrintStream sink = new PrintStream(ignored, true, StandardCharsets.UTF_8)) {
            assertEquals(2, KernelBenchmark.execute(new String[] {"--backend", "nonsense"}, sink, sink));
            assertEquals(2, KernelBenchmark.execute(new String[] {"--frobnicate"}, sink, sink));
            assertEquals(2, KernelBenchmark.execute(new String[] {"--backend"}, sink, sink));
        }
    }

    @Test
    void jsonNumbersKeepFourSignificantDigitsAndStringsAreEscaped() {
        assertEquals("1235", Json.number(1234.5678));
        assertEquals("0.001235", Json.number(0.0012345678));
        assertEquals("null", Json.number(Double.NaN));
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\"", Json.quote("a\"b\\c\n\u0001"));
        assertFalse(Json.number(66_900).contains("E"));
    }

    private static double number(final String object, final String key) {
        final Matcher m = Pattern.compile("\"" + key + "\":(" + NUMBER + "|null)").matcher(object);
        assertTrue(m.find(), () -> "no " + key + " in " + object);
        return m.group(1).equals("null") ? Double.NaN : Double.parseDouble(m.group(1));
    }

    /** Braces and brackets outside strings nest and pair up properly, and the outermost closes at the end. */
    private static void assertBalanced(final String json) {
        final StringBuilder open = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            final char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                open.append(c);
            } else if (c == '}' || c == ']') {
                assertTrue(open.length() > 0, "unbalanced at " + i + ": " + json);
                final char opener = open.charAt(open.length() - 1);
                assertEquals(c == '}' ? '{' : '[', opener, "mismatched at " + i + ": " + json);
                open.setLength(open.length() - 1);
                assertTrue(open.length() > 0 || i == json.length() - 1, "closes early at " + i + ": " + json);
            }
        }
        assertFalse(inString, "unterminated string: " + json);
        assertEquals(0, open.length(), "unbalanced: " + json);
    }
}
