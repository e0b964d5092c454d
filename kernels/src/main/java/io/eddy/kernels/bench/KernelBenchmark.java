package io.eddy.kernels.bench;

import io.eddy.kernels.Backends;
import io.eddy.kernels.api.Activation;
import io.eddy.kernels.api.ComputeBackend;
import io.eddy.kernels.api.DeviceFloats;
import io.eddy.kernels.api.DeviceInts;
import io.eddy.kernels.cpu.CpuBackend;
import io.eddy.kernels.cuda.CudaBackend;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The kernel benchmark: the CPU backend and, where it is selected and usable, the CUDA backend side by
 * side in one run, with the machine's peaks measured (CPU) or looked up (GPU) in the same run.
 *
 * <p>Sections: machine peaks; square GEMM; forward-forward layer forward passes; one batched
 * forward-forward training step (the headline CUDA/CPU ratio); the diagonal RTRL sensitivity step;
 * embedding gathers and scatter-adds; Adam. Each prints progress lines as it goes and then an aligned
 * table; the last line of the output is one JSON object with every figure (shares of a peak as
 * fractions, {@code null} where absent).
 *
 * <p>Exit status of {@link #run}: 0 done; 1 the benchmark could not run (e.g. {@code --backend cuda}
 * without a usable GPU), with the reason on one line of {@code err}; 2 a bad argument.
 */
public final class KernelBenchmark {

    /** One-line usage. */
    public static final String USAGE = "usage: KernelBenchmark [--backend auto|cpu|cuda] [--quick]";

    static final int TABLE_ROWS = 1_000_000;
    static final int EMBEDDING_COLS = 64;
    static final int LAYER_SIZE = 2_000;
    private static final long SEED = 0x5EED_2024L;
    private static final int SECTIONS = 7;
    private static final float LAYER_LEARNING_RATE = 1e-6f;
    private static final String[] HEADERS = {
        "op", "shape", "unit", "CPU", "CUDA", "CUDA/CPU", "CPU %peak", "CUDA %peak", "CPU ms", "CUDA ms"};

    private final CpuBackend cpu;
    private final CudaBackend cuda;
    private final String cudaNote;
    private final boolean quick;
    private final PrintStream out;
    private final Timing timing;
    private final List<Result> results = new ArrayList<>();
    private FmaPeak.Peak cpuPeak;
    private GpuPeaks.Peak gpuPeak;
    private String layerStepJson = "null";
    private int section;

    private KernelBenchmark(final CpuBackend cpu, final CudaBackend cuda, final String cudaNote,
                            final boolean quick, final PrintStream out) {
        this.cpu = cpu;
        this.cuda = cuda;
        this.cudaNote = cudaNote;
        this.quick = quick;
        this.out = out;
        this.timing = Timing.forMode(quick);
    }

    /** Command line: {@code [--backend auto|cpu|cuda] [--quick]}; exits with {@link #run}'s status. */
    public static void main(final String[] args) {
        final int status = execute(args, System.out, System.err);
        System.out.flush();
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Parses {@code args} as {@link #main} does and runs; returns the exit status. */
    public static int execute(final String[] args, final PrintStream out, final PrintStream err) {
        String backend = "auto";
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            final String arg = args[i];
            if (arg.equals("--quick")) {
                quick = true;
            } else if (arg.equals("--backend")) {
                if (i + 1 >= args.length) {
                    err.println("kernel benchmark: --backend needs a value (" + Backends.CHOICES + "); " + USAGE);
                    return 2;
                }
                backend = args[++i];
            } else if (arg.startsWith("--backend=")) {
                backend = arg.substring("--backend=".length());
            } else if (arg.equals("--help") || arg.equals("-h")) {
                out.println(USAGE);
                return 0;
            } else {
                err.println("kernel benchmark: unknown argument '" + arg + "'; " + USAGE);
                return 2;
            }
        }
        return run(backend, quick, out, err);
    }

    /** {@link #run(String, boolean, PrintStream, PrintStream)} with errors on {@code System.err}. */
    public static int run(final String backend, final boolean quick, final PrintStream out) {
        return run(backend, quick, out, System.err);
    }

    /**
     * Runs the benchmark.
     *
     * @param backend {@code auto} (CUDA too when usable), {@code cpu} or {@code cuda} (an error without CUDA)
     * @param quick fewer and smaller sizes and shorter timings: a smoke test of a few seconds
     * @param out the report; its last line is the JSON object
     * @param err one-line error messages
     * @return 0 done, 1 could not run, 2 bad backend name
     */
    public static int run(final String backend, final boolean quick, final PrintStream out, final PrintStream err) {
        final String choice;
        try {
            choice = Backends.validate(backend);
        } catch (IllegalArgumentException e) {
            err.println("kernel benchmark: " + e.getMessage());
            return 2;
        }
        CudaBackend cuda = null;
        String cudaNote = null;
        if (choice.equals("cpu")) {
            cudaNote = "not run (--backend cpu)";
        } else {
            try {
                cuda = (CudaBackend) CudaBackend.open();
            } catch (IllegalStateException e) {
                if (choice.equals("cuda")) {
                    err.println("kernel benchmark: --backend cuda: " + oneLine(e.getMessage()));
                    return 1;
                }
                cudaNote = "not run (" + oneLine(e.getMessage()) + "); --backend auto measures the CPU only";
            }
        }
        try (CpuBackend cpuBackend = new CpuBackend()) {
            new KernelBenchmark(cpuBackend, cuda, cudaNote, quick, out).runAll();
            return 0;
        } catch (RuntimeException e) {
            out.flush();
            err.println("kernel benchmark failed: " + oneLine(String.valueOf(e)));
            return 1;
        } finally {
            if (cuda != null) {
                cuda.close();
            }
        }
    }

    private void runAll() {
        final long start = System.nanoTime();
        out.println("Eddy kernel benchmark ("
                + (quick ? "quick smoke-test sizes" : "full sizes; --quick for a smoke test") + ")");
        out.println("JVM: Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name")
                + "), " + Runtime.getRuntime().availableProcessors() + " available processors, "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        out.println("CPU backend: " + cpu.describe());
        out.println("CUDA backend: " + (cuda != null ? cuda.deviceName() : cudaNote));
        out.flush();

        peaks();
        gemm();
        feedForward();
        layerStep();
        rtrl();
        embeddings();
        adam();

        final double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "%nDone in %.1f s.%n", seconds);
        out.println(json(seconds));
        out.flush();
    }

    // ---------------------------------------------------------------------------------------------------- sections

    private void peaks() {
        begin("Machine peaks");
        final int threads = Runtime.getRuntime().availableProcessors();
        progress("  measuring the CPU FP32 peak: an FMA loop on " + threads + " thread" + (threads == 1 ? "" : "s")
                + " at once ... ");
        cpuPeak = FmaPeak.measure(threads, FmaPeak.Plan.forMode(quick));
        out.println(Table.figure(cpuPeak.gflops()) + " GFLOP/s");
        final Table table = new Table("lrll", "peak", "value", "unit", "source");
        table.row("CPU FP32", Table.figure(cpuPeak.gflops()), "GFLOP/s", "measured: " + cpuPeak.method() + ", "
                + cpuPeak.threads() + " threads at once, best of " + cpuPeak.repeats());
        if (cuda != null) {
            gpuPeak = GpuPeaks.lookup(cuda.deviceName());
            final String source = gpuPeak.known() ? gpuPeak.source() + " (" + gpuPeak.model() + ")" : gpuPeak.source();
            table.row("GPU FP32", Table.figure(gpuPeak.gflops()), "GFLOP/s", source);
            table.row("GPU memory", Table.figure(gpuPeak.gbps()), "GB/s", source);
        } else {
            table.row("GPU", "-", "-", "CUDA not run");
        }
        out.println();
        table.print(out, "  ");
    }

    private void gemm() {
        final int first = begin("GEMM, square: C = A·B (gemm(false, false, n, n, n))");
        warmUpCpu();
        for (final int n : quick ? new int[] {256, 512} : new int[] {1024, 2048, 4096}) {
            row("gemm", n + "x" + n + "x" + n, true, 2.0 * n * n * n, (backend, buffers) -> {
                final DeviceFloats a = buffers.uniform(n * n, -1, 1);
                final DeviceFloats b = buffers.uniform(n * n, -1, 1);
                final DeviceFloats c = buffers.zeros(n * n);
                return () -> backend.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n, 1, 0, 0, 0);
            });
        }
        table(first);
    }

    private void feedForward() {
        final int first = begin("Forward-forward layer forward pass: Y = X·Wᵀ (gemm(false, true, batch, out, in))");
        final int[][] layers = {{784, LAYER_SIZE}, {LAYER_SIZE, LAYER_SIZE}};
        for (final int[] layer : layers) {
            final int in = layer[0];
            final int outputs = layer[1];
            for (final int batch : quick ? new int[] {1, 32} : new int[] {1, 32, 256, 1024}) {
                row("ff_forward", "batch " + batch + ", " + in + "->" + outputs, true, 2.0 * batch * in * outputs,
                    (backend, buffers) -> {
                        final DeviceFloats x = buffers.uniform(batch * in, -1, 1);
                        final DeviceFloats w = buffers.uniform(outputs * in, -0.05f, 0.05f);
                        final DeviceFloats y = buffers.zeros(batch * outputs);
                        return () -> backend.gemm(false, true, batch, outputs, in, 1f, x, 0, in, w, 0, in, 0f,
                                y, 0, outputs, 1, 0, 0, 0);
                    });
            }
        }
        answerLayer("ff_answer_layer_composed", 10, false);
        answerLayer("ff_answer_layer_fused", 10, true);
        // a pass of 51 events' answers, as the ff learner runs a group (its benchmark's configuration)
        answerLayer("ff_answer_pass", 510, true);
        table(first);
    }

    /**
     * One layer of forward-forward answers (a row per label) with its bias, ReLU, goodness and length
     * normalisation: five operations as composed before, or {@code denseLayer} and
     * {@code rowSumOfSquaresAndNormalize}. The same result; the difference is launches.
     */
    private void answerLayer(final String name, final int rows, final boolean fused) {
        final int in = LAYER_SIZE;
        final int outputs = LAYER_SIZE;
        row(name, rows + " rows, " + in + "->" + outputs
                + (fused ? ", 2 operations" : ", 5 operations"), true, 2.0 * rows * in * outputs,
            (backend, buffers) -> {
                final DeviceFloats x = buffers.uniform(rows * in, -1, 1);
                final DeviceFloats w = buffers.uniform(outputs * (in + 1), -0.05f, 0.05f);
                final DeviceFloats ones = buffers.uniform(rows, 1, 1);
                final DeviceFloats y = buffers.zeros(rows * outputs);
                final DeviceFloats goodness = buffers.zeros(rows);
                final DeviceFloats normalised = buffers.zeros(rows * outputs);
                final int bias = outputs * in;
                if (fused) {
                    return () -> {
                        backend.denseLayer(Activation.RELU, rows, outputs, in, x, 0, w, 0, bias, y, 0);
                        backend.rowSumOfSquaresAndNormalize(rows, outputs, 1e-8f, y, 0, goodness, 0, normalised, 0);
                    };
                }
                return () -> {
                    backend.gemm(false, true, rows, outputs, in, 1f, x, 0, in, w, 0, in, 0f, y, 0, outputs, 1, 0, 0,
                            0);
                    backend.gemm(false, false, rows, outputs, 1, 1f, ones, 0, 1, w, bias, outputs, 1f, y, 0, outputs,
                            1, 0, 0, 0);
                    backend.activate(Activation.RELU, rows * outputs, y, 0, y, 0);
                    backend.rowSumOfSquares(rows, outputs, y, 0, goodness, 0);
                    backend.rowNormalize(rows, outputs, 1e-8f, y, 0, normalised, 0);
                };
            });
    }

    private void layerStep() {
        final int first = begin("Forward-forward training step: forward GEMM, ReLU, goodness, ReLU backward,"
                + " dW = Gᵀ·X, W += -lr·dW");
        final int batch = quick ? 32 : 256;
        final int in = LAYER_SIZE;
        final int outputs = LAYER_SIZE;
        final double flops = 4.0 * batch * in * outputs;
        final Result result = row("ff_layer_step", "batch " + batch + ", " + in + "->" + outputs, true, flops,
            (backend, buffers) -> {
                final DeviceFloats x = buffers.uniform(batch * in, -1, 1);
                final DeviceFloats w = buffers.uniform(outputs * in, -0.05f, 0.05f);
                final DeviceFloats h = buffers.zeros(batch * outputs);
                final DeviceFloats goodness = buffers.zeros(batch);
                final DeviceFloats g = buffers.uniform(batch * outputs, -1, 1);
                final DeviceFloats local = buffers.zeros(batch * outputs);
                final DeviceFloats dw = buffers.zeros(outputs * in);
                return () -> {
                    backend.gemm(false, true, batch, outputs, in, 1f, x, 0, in, w, 0, in, 0f, h, 0, outputs,
                            1, 0, 0, 0);
                    backend.activate(Activation.RELU, batch * outputs, h, 0, h, 0);
                    backend.rowSumOfSquares(batch, outputs, h, 0, goodness, 0);
                    backend.activationBackward(Activation.RELU, batch * outputs, h, 0, g, 0, local, 0);
                    backend.gemm(true, false, outputs, in, batch, 1f, local, 0, outputs, x, 0, in, 0f, dw, 0, in,
                            1, 0, 0, 0);
                    backend.axpy(outputs * in, -LAYER_LEARNING_RATE, dw, 0, w, 0);
                };
            });
        table(first);
        out.println("  CUDA/CPU speedup of the training step: " + (cuda == null ? "- (CUDA not run)"
                : Table.times(result.ratio())));
        layerStepJson = new Json.Obj().integer("batch", batch).integer("in", in).integer("out", outputs)
                .number("gemmFlops", flops).number("cpuMs", 1e3 * result.cpuSeconds())
                .number("cudaMs", 1e3 * result.cudaSeconds()).number("cpuGflops", result.cpu())
                .number("cudaGflops", result.cuda()).number("speedup", result.ratio())
                .number("cpuPeakShare", result.cpuPeakShare()).number("cudaPeakShare", result.cudaPeakShare())
                .build();
    }

    private void rtrl() {
        final int first = begin("RTRL diagonal sensitivity step: S = a·(x + r·S), S batch x units x inputs");
        final int[][] shapes = {{64, 16}, {256, 64}, {1024, 128}, {4096, 256}};
        final int count = quick ? 2 : shapes.length;
        for (final int batch : new int[] {1, 32}) {
            for (int i = 0; i < count; i++) {
                final int units = shapes[i][0];
                final int inputs = shapes[i][1];
                final double bytes = 8.0 * batch * units * inputs + 4.0 * (batch * units + units + batch * inputs);
                row("rtrl_diagonal", "batch " + batch + ", " + units + "x" + inputs, false, bytes,
                    (backend, buffers) -> {
                        final DeviceFloats a = buffers.uniform(batch * units, 0, 1);
                        final DeviceFloats r = buffers.uniform(units, -0.9f, 0.9f);
                        final DeviceFloats x = buffers.uniform(batch * inputs, -1, 1);
                        final DeviceFloats s = buffers.uniform(batch * units * inputs, -1, 1);
                        return () -> backend.rtrlDiagonalStep(batch, units, inputs, a, r, x, s);
                    });
            }
        }
        table(first);
    }

    private void embeddings() {
        final int first = begin("Embedding rows (" + EMBEDDING_COLS + " floats) of a " + String.format(Locale.ROOT,
                "%,d", TABLE_ROWS) + "-row table at random indices: gatherRows, scatterAddRows");
        try (Buffers cpuTable = new Buffers(cpu, SEED - 1);
             Buffers cudaTable = cuda == null ? null : new Buffers(cuda, SEED - 1)) {
            progress("  filling the table on cpu ... ");
            final DeviceFloats cpuRows = cpuTable.uniform(TABLE_ROWS * EMBEDDING_COLS, -1, 1);
            out.println("done");
            DeviceFloats cudaRows = null;
            if (cudaTable != null) {
                progress("  filling the table on cuda ... ");
                cudaRows = cudaTable.uniform(TABLE_ROWS * EMBEDDING_COLS, -1, 1);
                out.println("done");
            }
            final DeviceFloats gpuRows = cudaRows;
            for (final int count : quick ? new int[] {1_024} : new int[] {1_024, 65_536}) {
                final String shape = count + " rows";
                row("gather_rows", shape, false, 2.0 * 4 * count * EMBEDDING_COLS, (backend, buffers) -> {
                    final DeviceFloats table = backend == cpu ? cpuRows : gpuRows;
                    final DeviceInts rows = buffers.indices(count, TABLE_ROWS);
                    final DeviceFloats gathered = buffers.zeros(count * EMBEDDING_COLS);
                    return () -> backend.gatherRows(count, EMBEDDING_COLS, table, rows, 0, gathered, 0);
                });
                row("scatter_add_rows", shape, false, 3.0 * 4 * count * EMBEDDING_COLS, (backend, buffers) -> {
                    final DeviceFloats table = backend == cpu ? cpuRows : gpuRows;
                    final DeviceInts rows = buffers.indices(count, TABLE_ROWS);
                    final DeviceFloats src = buffers.uniform(count * EMBEDDING_COLS, -1e-3f, 1e-3f);
                    return () -> backend.scatterAddRows(count, EMBEDDING_COLS, 1f, src, 0, rows, 0, table);
                });
            }
        }
        table(first);
    }

    private void adam() {
        final int first = begin("Adam step (4 arrays read, 3 written: 28 bytes per parameter)");
        final int n = quick ? 262_144 : 4_194_304;
        row("adam_step", n + " params", false, 28.0 * n, (backend, buffers) -> {
            final DeviceFloats params = buffers.uniform(n, -1, 1);
            final DeviceFloats grads = buffers.uniform(n, -1e-2f, 1e-2f);
            final DeviceFloats m = buffers.uniform(n, -1e-3f, 1e-3f);
            final DeviceFloats v = buffers.uniform(n, 0, 1e-4f);
            return () -> backend.adamStep(n, 1e-3f, 0.9f, 0.999f, 1e-8f, 10, params, grads, m, v);
        });
        table(first);
    }

    /**
     * Runs every CPU operation at small sizes for a moment, so the JIT has compiled the backend's loops
     * before the first timing: interpreted Vector API code is hundreds of times slower.
     */
    private void warmUpCpu() {
        final double seconds = quick ? 0.5 : 1.5;
        progress(String.format(Locale.ROOT, "  warming up the CPU backend's JIT on small sizes for %.1f s ... ",
                seconds));
        final int n = 100;
        final int elements = 1 << 17;
        final int rows = 256;
        final int tableRows = 4_096;
        long rounds = 0;
        try (Buffers buffers = new Buffers(cpu, SEED)) {
            final DeviceFloats a = buffers.uniform(n * n, -1, 1);
            final DeviceFloats b = buffers.uniform(n * n, -1, 1);
            final DeviceFloats c = buffers.zeros(n * n);
            final DeviceFloats x = buffers.uniform(elements, -1, 1);
            final DeviceFloats y = buffers.uniform(elements, -1, 1);
            final DeviceFloats z = buffers.zeros(elements);
            final DeviceFloats m = buffers.zeros(elements);
            final DeviceFloats v = buffers.zeros(elements);
            final DeviceFloats sums = buffers.zeros(elements / n);
            final DeviceFloats table = buffers.uniform(tableRows * EMBEDDING_COLS, -1, 1);
            final DeviceInts indices = buffers.indices(rows, tableRows);
            final DeviceFloats gathered = buffers.zeros(rows * EMBEDDING_COLS);
            final DeviceFloats units = buffers.uniform(n, 0, 1);
            final DeviceFloats recurrent = buffers.uniform(n, -0.9f, 0.9f);
            final long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                cpu.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n, 1, 0, 0, 0);
                cpu.gemm(false, true, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n, 1, 0, 0, 0);
                cpu.gemm(true, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n, 1, 0, 0, 0);
                cpu.activate(Activation.RELU, elements, x, 0, z, 0);
                cpu.rowSumOfSquares(elements / n, n, z, 0, sums, 0);
                cpu.activationBackward(Activation.RELU, elements, z, 0, y, 0, z, 0);
                cpu.axpy(elements, -1e-6f, z, 0, x, 0);
                cpu.rtrlDiagonalStep(1, n, elements / n, units, recurrent, x, y);
                cpu.gatherRows(rows, EMBEDDING_COLS, table, indices, 0, gathered, 0);
                cpu.scatterAddRows(rows, EMBEDDING_COLS, 1e-3f, gathered, 0, indices, 0, table);
                cpu.adamStep(elements, 1e-3f, 0.9f, 0.999f, 1e-8f, 10, x, y, m, v);
                rounds++;
            }
        }
        out.println("done (" + rounds + " rounds)");
    }

    // ------------------------------------------------------------------------------------------------- machinery

    /** Allocates and fills a case's buffers on one backend; returns the call to time (which allocates nothing). */
    private interface Workload {
        Runnable prepare(ComputeBackend backend, Buffers buffers);
    }

    private int begin(final String title) {
        section++;
        out.printf(Locale.ROOT, "%n[%d/%d] %s%n", section, SECTIONS, title);
        out.flush();
        return results.size();
    }

    /**
     * Times one case on the CPU, then on CUDA, and records the row.
     *
     * @param compute GFLOP/s against the FP32 peaks when true, GB/s against the GPU memory peak otherwise
     * @param work flops or bytes per call
     */
    private Result row(final String op, final String shape, final boolean compute, final double work,
                       final Workload workload) {
        final String unit = compute ? Result.GFLOPS : Result.GBPS;
        final Timing.Measurement onCpu = time(cpu, op, shape, unit, work, workload);
        final double cpuValue = work / onCpu.medianSeconds() / 1e9;
        double cudaValue = Double.NaN;
        double cudaSeconds = Double.NaN;
        if (cuda != null) {
            final Timing.Measurement onCuda = time(cuda, op, shape, unit, work, workload);
            cudaSeconds = onCuda.medianSeconds();
            cudaValue = work / cudaSeconds / 1e9;
        }
        final double gpuPeakValue = gpuPeak == null ? Double.NaN : compute ? gpuPeak.gflops() : gpuPeak.gbps();
        final Result result = new Result(op, shape, unit, cpuValue, onCpu.medianSeconds(), cudaValue, cudaSeconds,
                compute ? cpuValue / cpuPeak.gflops() : Double.NaN, cudaValue / gpuPeakValue);
        results.add(result);
        return result;
    }

    private Timing.Measurement time(final ComputeBackend backend, final String op, final String shape,
                                    final String unit, final double work, final Workload workload) {
        progress(String.format(Locale.ROOT, "  %-4s %-16s %-24s ", backend.name(), op, shape));
        try (Buffers buffers = new Buffers(backend, SEED)) {
            final Runnable call = workload.prepare(backend, buffers);
            final Timing.Measurement m = timing.measure(backend, call);
            out.printf(Locale.ROOT, "%9s %-7s  %s ms/call (median of %d calls; best %s ms)%n",
                    Table.figure(work / m.medianSeconds() / 1e9), unit, Table.figure(1e3 * m.medianSeconds()),
                    m.calls(), Table.figure(1e3 * m.bestSeconds()));
            out.flush();
            return m;
        }
    }

    private void table(final int first) {
        final Table table = new Table("lllrrrrrrr", HEADERS);
        for (final Result r : results.subList(first, results.size())) {
            table.row(r.op(), r.shape(), r.unit(), Table.figure(r.cpu()), Table.figure(r.cuda()),
                    Table.times(r.ratio()), Table.percent(r.cpuPeakShare()), Table.percent(r.cudaPeakShare()),
                    Table.figure(1e3 * r.cpuSeconds()), Table.figure(1e3 * r.cudaSeconds()));
        }
        out.println();
        table.print(out, "  ");
    }

    private void progress(final String text) {
        out.print(text);
        out.flush();
    }

    private String json(final double seconds) {
        final String cpuJson = new Json.Obj().string("describe", cpu.describe()).integer("threads", cpuPeak.threads())
                .number("peakGflops", cpuPeak.gflops()).string("peakMethod", cpuPeak.method())
                .integer("lanes", cpuPeak.lanes()).raw("vectorApi", Boolean.toString(cpuPeak.vectorApi()))
                .build();
        final String cudaJson = cuda == null ? "null" : new Json.Obj().string("device", cuda.deviceName())
                .number("peakGflops", gpuPeak.gflops()).number("peakGBps", gpuPeak.gbps())
                .string("peakModel", gpuPeak.model()).string("peakSource", gpuPeak.source()).build();
        final List<String> rows = new ArrayList<>();
        for (final Result r : results) {
            rows.add(r.toJson());
        }
        return new Json.Obj().string("benchmark", "kernels").string("mode", quick ? "quick" : "full")
                .raw("cpu", cpuJson).raw("cuda", cudaJson).string("cudaNote", cuda == null ? cudaNote : null)
                .raw("results", Json.array(rows)).raw("layerStep", layerStepJson).number("seconds", seconds)
                .string("java", System.getProperty("java.version")).build();
    }

    private static String oneLine(final String text) {
        return text == null ? "unknown reason" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
