package io.eddy.learners.bench;

import io.eddy.kernels.Backends;
import io.eddy.kernels.api.ComputeBackend;
import io.eddy.learners.api.EmbeddingTable;
import io.eddy.learners.api.EventGroup;
import io.eddy.learners.reco.ImplicitMf;
import io.eddy.learners.reco.OnlineMf;
import io.eddy.learners.reco.PopularItems;
import io.eddy.learners.reco.RecoConfig;
import io.eddy.learners.reco.RecoExample;
import io.eddy.learners.reco.RecoLearner;
import io.eddy.learners.reco.TopK;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The recommendation learners alone, without Kafka, at the scale: 100,000 items of 64 factors.
 * Prints ratings and interactions learned per second (online MF; BPR with four negatives; most-popular
 * as the baseline), and top-k requests per second with latency percentiles, BPR's scan of every item
 * beside most-popular's scan of the same table of counts. Then top-k requests through the learner
 * ({@link RecoLearner}, BPR's table and users), one by one on the host and in batches of
 * {@value #SCORE_BATCH} on the compute backend named by {@code --backend} (auto: CUDA where a GPU is
 * usable, else the CPU backend), with the ratio of the two and how many answers came out identical.
 * Last line JSON. Runs inside {@code eddy bench reco} and alone ({@link #main}), with the kernels and
 * learners jars (and JCuda's for CUDA) on the class path.
 */
public final class RecoLearnerBenchmark {
    public static final int ITEMS = 100_000;
    public static final int FACTORS = 64;
    public static final int USERS = 10_000;
    public static final int K = 10;
    /** Requests scored together on the backend: the models' default {@code scoreBatch}. */
    public static final int SCORE_BATCH = 32;
    private static final String USAGE = "usage: RecoLearnerBenchmark [--backend auto|cpu|cuda] [--requests N] "
            + "[--interactions N]";

    private final int interactions;
    private final int requests;

    public RecoLearnerBenchmark(final int interactions, final int requests) {
        this.interactions = interactions;
        this.requests = requests;
    }

    public static void main(final String[] args) {
        String backend = "auto";
        int requests = 1_000;
        int interactions = 300_000;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                System.err.println("reco learner benchmark: " + args[i] + " needs a value; " + USAGE);
                System.exit(2);
            }
            switch (args[i]) {
                case "--backend" -> backend = args[i + 1];
                case "--requests" -> requests = Integer.parseInt(args[i + 1]);
                case "--interactions" -> interactions = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println("reco learner benchmark: unknown argument '" + args[i] + "'; " + USAGE);
                    System.exit(2);
                }
            }
        }
        System.out.println(new RecoLearnerBenchmark(interactions, requests).run(backend, System.out));
    }

    /** Runs every measurement, batched requests on the backend {@code auto} picks, and returns the JSON line. */
    public String run(final PrintStream out) {
        return run("auto", out);
    }

    /**
     * Runs every measurement, batched requests on the backend named by {@code backend} (auto, cpu or
     * cuda, which fails without a GPU), and returns the JSON line.
     */
    public String run(final String backend, final PrintStream out) {
        // opened first, so that a backend that cannot open fails before minutes of learning
        final Backends.Selection selection = Backends.select(backend);
        out.println(selection.reason());
        try (ComputeBackend device = selection.backend()) {
            return measure(device, out);
        }
    }

    private String measure(final ComputeBackend device, final PrintStream out) {
        final String[] users = ids("u", USERS);
        final String[] items = ids("i", ITEMS);
        final ImplicitMf bpr = new ImplicitMf(new ImplicitMf.Config(FACTORS, 0.05, 0.005, 4, 0.1, 1), ITEMS);
        final OnlineMf mf = new OnlineMf(new OnlineMf.Config(FACTORS, 0.05, 0.02, 0.1, 1), ITEMS);
        final PopularItems popular = new PopularItems(20_000, ITEMS);
        final float[][] bprUsers = new float[USERS][ImplicitMf.userStateSize(FACTORS)];
        final float[][] mfUsers = new float[USERS][OnlineMf.userStateSize(FACTORS)];
        // every item once, so that the tables hold all of them, then the timed interactions
        for (int i = 0; i < ITEMS; i++) {
            bpr.learn(bprUsers[i % USERS], users[i % USERS], items[i], i);
            mf.learn(mfUsers[i % USERS], users[i % USERS], items[i], 3f, i);
            popular.learn(items[i], i);
        }
        final int[] user = new int[interactions];
        final int[] item = new int[interactions];
        final SplittableRandom random = new SplittableRandom(5);
        for (int n = 0; n < interactions; n++) {
            user[n] = random.nextInt(USERS);
            item[n] = (int) (ITEMS * Math.pow(random.nextDouble(), 3));
        }
        long start = System.nanoTime();
        for (int n = 0; n < interactions; n++) {
            bpr.learn(bprUsers[user[n]], users[user[n]], items[item[n]], ITEMS + n);
        }
        final double bprRate = interactions / seconds(start);
        start = System.nanoTime();
        for (int n = 0; n < interactions; n++) {
            mf.learn(mfUsers[user[n]], users[user[n]], items[item[n]], 1 + (n % 5), ITEMS + n);
        }
        final double mfRate = interactions / seconds(start);
        start = System.nanoTime();
        for (int n = 0; n < interactions; n++) {
            popular.learn(items[item[n]], ITEMS + n);
        }
        final double popularRate = interactions / seconds(start);
        out.printf(Locale.ROOT, "learning, %,d items of %d factors, %,d users: BPR (4 negatives) %,.0f interactions/s, "
                + "MF %,.0f ratings/s, most-popular %,.0f interactions/s%n", ITEMS, FACTORS, USERS, bprRate, mfRate,
                popularRate);
        final TopK best = new TopK(K);
        final long[] bprNanos = new long[requests];
        final long[] popularNanos = new long[requests];
        for (int r = 0; r < requests; r++) {
            final float[] state = bprUsers[random.nextInt(USERS)];
            long t = System.nanoTime();
            bpr.topK(state, null, best);
            bprNanos[r] = System.nanoTime() - t;
            t = System.nanoTime();
            popular.topK(best);
            popularNanos[r] = System.nanoTime() - t;
        }
        final double bprRequests = requests / (Arrays.stream(bprNanos).sum() / 1e9);
        final double popularRequests = requests / (Arrays.stream(popularNanos).sum() / 1e9);
        Arrays.sort(bprNanos);
        Arrays.sort(popularNanos);
        out.printf(Locale.ROOT, "top-%d over %,d items: BPR %,.0f requests/s (p50 %.2f ms, p99 %.2f ms), most-popular "
                + "%,.0f requests/s (p50 %.2f ms): BPR at %.2f of the scan of counts%n", K, ITEMS, bprRequests,
                percentileMs(bprNanos, 0.5), percentileMs(bprNanos, 0.99), popularRequests,
                percentileMs(popularNanos, 0.5), bprRequests / popularRequests);
        final double tableMb = ITEMS * (FACTORS + 1) * 4 / 1e6;
        out.printf(Locale.ROOT, "item table: %.1f MB of floats%n", tableMb);
        final Batched batched = batchedRequests(device, bpr, bprUsers, users, out);
        return String.format(Locale.ROOT, "{\"items\":%d,\"factors\":%d,\"bpr_interactions_per_s\":%.0f,"
                + "\"mf_ratings_per_s\":%.0f,\"popular_interactions_per_s\":%.0f,\"topk_requests_per_s\":%.0f,"
                + "\"topk_p50_ms\":%.3f,\"topk_p99_ms\":%.3f,\"popular_topk_requests_per_s\":%.0f,"
                + "\"item_table_mb\":%.1f,\"score_batch\":%d,\"topk_backend\":\"%s\","
                + "\"topk_one_by_one_requests_per_s\":%.0f,\"topk_batched_requests_per_s\":%.0f,"
                + "\"topk_batched_over_one_by_one\":%.2f,\"topk_batched_identical_answers\":%.4f}", ITEMS,
                FACTORS, bprRate, mfRate, popularRate, bprRequests, percentileMs(bprNanos, 0.5),
                percentileMs(bprNanos, 0.99), popularRequests, tableMb, SCORE_BATCH, batched.backend(),
                batched.oneByOne(), batched.batched(), batched.batched() / batched.oneByOne(), batched.identical());
    }

    /** Top-k requests/s through the learner, one by one on the host and batched on a backend. */
    private record Batched(String backend, double oneByOne, double batched, double identical) {
    }

    /**
     * The same top-{@value #K} requests through {@link RecoLearner} one by one on the host, then in
     * groups of {@value #SCORE_BATCH} distinct users on the backend, over BPR's trained table and users.
     */
    private Batched batchedRequests(final ComputeBackend backend, final ImplicitMf bpr, final float[][] bprUsers,
                                    final String[] users, final PrintStream out) {
        final RecoConfig config = new RecoConfig(false, FACTORS, 0.05, 0.005, 4, 0.1, 1, K, 1, 0, 0,
                SCORE_BATCH);
        final RecoLearner host = new RecoLearner(config);
        final RecoLearner device = new RecoLearner(config, backend);
        final EmbeddingTable table = bpr.items();
        for (final RecoLearner learner : new RecoLearner[] {host, device}) {
            for (int slot = 0; slot < table.slotLimit(); slot++) {
                if (table.live(slot)) {
                    learner.items().restore(table.id(slot), slot, table.lastSeen(slot), table.values(),
                            slot * table.width());
                }
            }
        }
        // the learner's key state begins with BPR's user state; an empty ring leaves nothing out
        final float[][] states = new float[USERS][host.keyStateSize()];
        for (int u = 0; u < USERS; u++) {
            System.arraycopy(bprUsers[u], 0, states[u], 0, bprUsers[u].length);
        }
        final int batches = (requests + SCORE_BATCH - 1) / SCORE_BATCH;
        final int total = batches * SCORE_BATCH;
        final String[][] hostAnswers = new String[total][K];
        final RecoExample example = new RecoExample();
        final float[] output = new float[1];
        long start = System.nanoTime();
        for (int r = 0; r < total; r++) {
            final int u = user(r);
            example.clear();
            example.request(users[u], K, false);
            host.predict(example, states[u], output);
            for (int j = 0; j < example.answered(); j++) {
                hostAnswers[r][j] = example.answerItem(j);
            }
        }
        final double oneByOne = total / seconds(start);
        final EventGroup<RecoExample> group = new EventGroup<>(device.groupCapacity(), RecoExample::new,
                device.keyStateSize(), 1);
        // a warm-up: the first batch sends the whole table to the device, and the JIT compiles
        for (int b = 0; b < Math.min(4, batches); b++) {
            stepBatch(device, group, states, users, b);
        }
        long nanos = 0;
        int identical = 0;
        for (int b = 0; b < batches; b++) {
            start = System.nanoTime();
            stepBatch(device, group, states, users, b);
            nanos += System.nanoTime() - start;
            for (int i = 0; i < SCORE_BATCH; i++) {
                final RecoExample answer = group.example(i);
                boolean same = answer.answered() == K;
                for (int j = 0; same && j < K; j++) {
                    same = answer.answerItem(j).equals(hostAnswers[b * SCORE_BATCH + i][j]);
                }
                identical += same ? 1 : 0;
            }
        }
        final double batched = total / (nanos / 1e9);
        out.printf(Locale.ROOT, "top-%d over %,d items through the learner: one by one on the host %,.0f "
                + "requests/s; in batches of %d on %s %,.0f requests/s, %.2fx one by one; %d of %d answers "
                + "identical to the one-by-one ones%n", K, ITEMS, oneByOne,
                SCORE_BATCH, backend.name(), batched, batched / oneByOne, identical, total);
        return new Batched(backend.name(), oneByOne, batched, identical / (double) total);
    }

    /** Request r's user: {@value #SCORE_BATCH} consecutive requests have distinct users, as a group must. */
    private static int user(final int r) {
        return (int) ((r * 7_919L) % USERS);
    }

    private static void stepBatch(final RecoLearner learner, final EventGroup<RecoExample> group,
                                  final float[][] states, final String[] users, final int b) {
        group.clear();
        for (int i = 0; i < SCORE_BATCH; i++) {
            final int u = user(b * SCORE_BATCH + i);
            final RecoExample example = group.next();
            example.clear();
            example.request(users[u], K, false);
            final int slot = group.add(false);
            System.arraycopy(states[u], 0, group.keyState(slot), 0, states[u].length);
        }
        learner.step(group, false);
    }

    private static String[] ids(final String prefix, final int n) {
        final String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = prefix + i;
        }
        return ids;
    }

    private static double seconds(final long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static double percentileMs(final long[] sorted, final double p) {
        return sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
    }
}
