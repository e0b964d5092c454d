package io.eddy.learners.bench;

import io.eddy.learners.reco.ImplicitMf;
import io.eddy.learners.reco.OnlineMf;
import io.eddy.learners.reco.PopularItems;
import io.eddy.learners.reco.TopK;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The recommendation learners alone, without Kafka, at the scale: 100,000 items of 64 factors.
 * Prints ratings and interactions learned per second (online MF; BPR with four negatives; most-popular
 * as the baseline), and top-k requests per second with latency percentiles, BPR's scan of every item
 * beside most-popular's scan of the same table of counts; last line JSON.
 */
public final class RecoLearnerBenchmark {
    public static final int ITEMS = 100_000;
    public static final int FACTORS = 64;
    public static final int USERS = 10_000;
    public static final int K = 10;

    private final int interactions;
    private final int requests;

    public RecoLearnerBenchmark(final int interactions, final int requests) {
        this.interactions = interactions;
        this.requests = requests;
    }

    /** Runs every measurement and returns the JSON line. */
    public String run(final PrintStream out) {
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
        return String.format(Locale.ROOT, "{\"items\":%d,\"factors\":%d,\"bpr_interactions_per_s\":%.0f,"
                + "\"mf_ratings_per_s\":%.0f,\"popular_interactions_per_s\":%.0f,\"topk_requests_per_s\":%.0f,"
                + "\"topk_p50_ms\":%.3f,\"topk_p99_ms\":%.3f,\"popular_topk_requests_per_s\":%.0f,"
                + "\"item_table_mb\":%.1f}", ITEMS, FACTORS, bprRate, mfRate, popularRate, bprRequests,
                percentileMs(bprNanos, 0.5), percentileMs(bprNanos, 0.99), popularRequests, tableMb);
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
