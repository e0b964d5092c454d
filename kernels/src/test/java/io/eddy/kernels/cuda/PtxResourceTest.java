package io.eddy.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs everywhere: the PTX resource is packaged and declares each kernel the backend looks up. */
class PtxResourceTest {

    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern PARAM = Pattern.compile("\\.param\\s+\\.(\\w+)\\s+\\w+");

    @Test
    void shouldShipPtxForSm90WithATerminatingZero() {
        final byte[] image = CudaBackend.ptxImage();
        assertEquals(0, image[image.length - 1], "cuModuleLoadData needs a NUL-terminated image");
        final String text = ptxText(image);
        assertTrue(text.contains(".target sm_90"), "PTX should target sm_90 (compiled with -arch=compute_90)");
        assertTrue(text.contains(".address_size 64"), "PTX should use 64-bit addresses");
    }

    @Test
    void shouldDeclareEveryKernelWithTheParametersTheBackendPasses() {
        final Map<String, String> entries = entries(ptxText(CudaBackend.ptxImage()));
        for (final CudaKernel kernel : CudaKernel.values()) {
            final String declared = entries.get(kernel.entry());
            if (declared == null) {
                fail("the PTX declares no .entry " + kernel.entry() + "; it has " + entries.keySet());
            }
            assertEquals(expectedPtxTypes(kernel.signature()), declared, "parameter types of " + kernel.entry());
        }
    }

    @Test
    void shouldHaveNoKernelTheBackendDoesNotKnow() {
        final Map<String, String> entries = entries(ptxText(CudaBackend.ptxImage()));
        for (final CudaKernel kernel : CudaKernel.values()) {
            entries.remove(kernel.entry());
        }
        assertTrue(entries.isEmpty(), "kernels in the PTX that CudaKernel does not list: " + entries.keySet());
    }

    private static String ptxText(final byte[] image) {
        return new String(image, 0, image.length - 1, StandardCharsets.US_ASCII);
    }

    /** Entry name to its parameter types in PTX spelling, joined by spaces. */
    private static Map<String, String> entries(final String ptx) {
        final Map<String, String> entries = new LinkedHashMap<>();
        final Matcher entry = ENTRY.matcher(ptx);
        while (entry.find()) {
            final StringBuilder types = new StringBuilder();
            final Matcher param = PARAM.matcher(entry.group(2));
            while (param.find()) {
                types.append(types.length() == 0 ? "" : " ").append(param.group(1));
            }
            entries.put(entry.group(1), types.toString());
        }
        return entries;
    }

    private static String expectedPtxTypes(final String signature) {
        final StringBuilder types = new StringBuilder();
        for (int i = 0; i < signature.length(); i++) {
            final char c = signature.charAt(i);
            types.append(i == 0 ? "" : " ").append(c == 'i' ? "u32" : c == 'f' ? "f32" : c == 'd' ? "f64" : "u64");
        }
        return types.toString();
    }
}
