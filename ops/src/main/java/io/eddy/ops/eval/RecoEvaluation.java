package io.eddy.ops.eval;

import io.eddy.learners.api.EmbeddingTable;
import io.eddy.connectors.ratings.Interaction;
import io.eddy.connectors.ratings.RatingsGenerator;

import io.eddy.learners.reco.ImplicitMf;
import io.eddy.learners.reco.OnlineMf;
import io.eddy.learners.reco.PopularItems;
import io.eddy.learners.reco.TopK;
import io.eddy.ops.progress.ProgressBars;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code eddy eval reco}: the recommendation learners on the seeded ratings generator's stream (users
 * and items with latent tastes, power-law popularity, newcomers, and every user's taste redrawn half-way),
 * each interaction answered and then learned, beside their baselines in the same run:
 * <ul>
 * <li>explicit ratings: online biased MF against the global mean and biases, prequential RMSE;</li>
 * <li>implicit feedback: BPR with sampled negatives against most-popular (decayed), recall at 10: how
 *     often the item a user picks was in the ten recommended to that user just before.</li>
 * </ul>
 * Both are also measured over windows of {@value #WINDOW} events, to report how many events after the
 * taste drift each takes to come back to where it stood before it.
 */
public final class RecoEvaluation {
    public static final long EVENTS = 400_000;
    public static final long QUICK_EVENTS = 100_000;
    public static final int WINDOW = 10_000;
    public static final int K = 10;
    /** Within this fraction of the window before the drift counts as recovered. */
    public static final double RECOVERED_WITHIN = 0.05;
    public static final OnlineMf.Config MF = new OnlineMf.Config(32, 0.1, 0.02, 0.1, 1);
    public static final OnlineMf.Config BIASES = new OnlineMf.Config(0, 0.05, 0.02, 0.1, 1);
    public static final ImplicitMf.Config IMPLICIT = new ImplicitMf.Config(32, 0.05, 0.005, 4, 0.1, 1);
    /** Half-life of the most-popular baseline's counts, in interactions. */
    public static final double POPULAR_HALF_LIFE = 20_000;

    /** Prequential figures of one run: overall and per window. */
    public record Figures(double mfRmse, double biasRmse, double implicitRecall, double popularRecall,
                          double[] mfWindows, double[] biasWindows, double[] implicitWindows,
                          double[] popularWindows, long driftAt, long events, double eventsPerSecond) {
        /** Events after the drift until a window is back within 5% of the last window before it; -1 if never. */
        public long recoveryEvents(final double[] windows, final boolean lowerIsBetter) {
            final int before = (int) (driftAt / WINDOW) - 1;
            if (before < 0) {
                return -1;
            }
            for (int w = before + 1; w < windows.length; w++) {
                final boolean back = lowerIsBetter ? windows[w] <= windows[before] * (1 + RECOVERED_WITHIN)
                        : windows[w] >= windows[before] * (1 - RECOVERED_WITHIN);
                if (back) {
                    return (long) (w + 1) * WINDOW - driftAt;
                }
            }
            return -1;
        }
    }

    private final PrintStream out;
    private final boolean quick;
    private ProgressBars bars = ProgressBars.OFF;

    public RecoEvaluation(final PrintStream out, final boolean quick) {
        this.out = out;
        this.quick = quick;
    }

    /** Shows the run's progress with {@code progress} (none by default). */
    public RecoEvaluation withProgress(final ProgressBars progress) {
        this.bars = progress;
        return this;
    }

    /** Runs all four models on one stream and returns the figures; prints a line per comparison. */
    public Map<String, Object> run() {
        final long events = quick ? QUICK_EVENTS : EVENTS;
        out.printf(Locale.ROOT, "Ratings generator: %,d interactions (500 users and 1,000 items to start, "
                + "newcomers, every user's taste redrawn at event %,d); each answered, then learned%n", events,
                events / 2);
        final Figures f;
        try (ProgressBars.Bar bar = bars.start("four models", events, "interactions")) {
            f = run(RatingsGenerator.Config.defaults().withEvents(events), MF, IMPLICIT, bar);
        }
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("events", events);
        figures.put("mf_rmse", Rounding.round(f.mfRmse()));
        figures.put("bias_rmse", Rounding.round(f.biasRmse()));
        figures.put("mf_rmse_ratio", Rounding.round(f.mfRmse() / f.biasRmse()));
        figures.put("implicit_recall_at_10", Rounding.round(f.implicitRecall()));
        figures.put("popular_recall_at_10", Rounding.round(f.popularRecall()));
        figures.put("recall_ratio", Rounding.round(f.implicitRecall() / f.popularRecall()));
        figures.put("mf_recovery_events", f.recoveryEvents(f.mfWindows(), true));
        figures.put("bias_recovery_events", f.recoveryEvents(f.biasWindows(), true));
        figures.put("implicit_recovery_events", f.recoveryEvents(f.implicitWindows(), false));
        figures.put("popular_recovery_events", f.recoveryEvents(f.popularWindows(), false));
        figures.put("events_per_s", Math.round(f.eventsPerSecond()));
        out.printf(Locale.ROOT, "  explicit  prequential RMSE: mf %.4f, biases %.4f (ratio %.3f); after the drift "
                + "back within 5%% in %s and %s events%n", f.mfRmse(), f.biasRmse(), f.mfRmse() / f.biasRmse(),
                events(f.recoveryEvents(f.mfWindows(), true)), events(f.recoveryEvents(f.biasWindows(), true)));
        out.printf(Locale.ROOT, "  implicit  recall at %d: bpr %.4f, most popular %.4f (ratio %.2f); after the drift "
                + "back within 5%% in %s and %s events%n", K, f.implicitRecall(), f.popularRecall(),
                f.implicitRecall() / f.popularRecall(), events(f.recoveryEvents(f.implicitWindows(), false)),
                events(f.recoveryEvents(f.popularWindows(), false)));
        out.printf(Locale.ROOT, "  windows of %,d: mf RMSE%s%n  bpr recall%s%n", WINDOW, list(f.mfWindows()),
                list(f.implicitWindows()));
        return figures;
    }

    /** All four models, with the evaluation's settings, over the generator's stream with this config. */
    public static Figures run(final RatingsGenerator.Config config) {
        return run(config, MF, IMPLICIT);
    }

    /** All four models over the generator's stream, MF and BPR with these settings. */
    public static Figures run(final RatingsGenerator.Config config, final OnlineMf.Config mfConfig,
                              final ImplicitMf.Config implicitConfig) {
        return run(config, mfConfig, implicitConfig, ProgressBars.NO_BAR);
    }

    private static Figures run(final RatingsGenerator.Config config, final OnlineMf.Config mfConfig,
                               final ImplicitMf.Config implicitConfig, final ProgressBars.Bar bar) {
        final RatingsGenerator generator = new RatingsGenerator(config);
        final int windows = (int) ((config.events() + WINDOW - 1) / WINDOW);
        final double[] mfWindows = new double[windows];
        final double[] biasWindows = new double[windows];
        final double[] implicitWindows = new double[windows];
        final double[] popularWindows = new double[windows];
        final OnlineMf mf = new OnlineMf(mfConfig, config.initialItems());
        final OnlineMf biases = new OnlineMf(BIASES, config.initialItems());
        final ImplicitMf implicit = new ImplicitMf(implicitConfig, config.initialItems());
        final PopularItems popular = new PopularItems(POPULAR_HALF_LIFE, config.initialItems());
        final List<float[]> mfUsers = new ArrayList<>();
        final List<float[]> biasUsers = new ArrayList<>();
        final List<float[]> implicitUsers = new ArrayList<>();
        final TopK best = new TopK(K);
        final int[] slots = new int[K];
        final float[] scores = new float[K];
        final Interaction event = new Interaction();
        double mfSquares = 0;
        double biasSquares = 0;
        long implicitHits = 0;
        long popularHits = 0;
        long n = 0;
        final long start = System.nanoTime();
        while (generator.next(event)) {
            while (mfUsers.size() <= event.user()) {
                mfUsers.add(new float[OnlineMf.userStateSize(mfConfig.factors())]);
                biasUsers.add(new float[OnlineMf.userStateSize(0)]);
                implicitUsers.add(new float[ImplicitMf.userStateSize(implicitConfig.factors())]);
            }
            final String user = "u" + event.user();
            final String item = "i" + event.item();
            final float rating = event.rating();
            final long now = event.index();
            final double mfError = mf.learn(mfUsers.get(event.user()), user, item, rating, now) - rating;
            final double biasError = biases.learn(biasUsers.get(event.user()), user, item, rating, now) - rating;
            implicit.topK(implicitUsers.get(event.user()), null, best);
            final boolean implicitHit = contains(best, slots, scores, implicit.items(), item);
            popular.topK(best);
            final boolean popularHit = contains(best, slots, scores, popular.items(), item);
            implicit.learn(implicitUsers.get(event.user()), user, item, now);
            popular.learn(item, now);
            mfSquares += mfError * mfError;
            biasSquares += biasError * biasError;
            implicitHits += implicitHit ? 1 : 0;
            popularHits += popularHit ? 1 : 0;
            final int w = (int) (n / WINDOW);
            mfWindows[w] += mfError * mfError;
            biasWindows[w] += biasError * biasError;
            implicitWindows[w] += implicitHit ? 1 : 0;
            popularWindows[w] += popularHit ? 1 : 0;
            n++;
            bar.stepBy(1);
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        for (int w = 0; w < windows; w++) {
            final long size = Math.min(WINDOW, n - (long) w * WINDOW);
            mfWindows[w] = Math.sqrt(mfWindows[w] / size);
            biasWindows[w] = Math.sqrt(biasWindows[w] / size);
            implicitWindows[w] /= size;
            popularWindows[w] /= size;
        }
        return new Figures(Math.sqrt(mfSquares / n), Math.sqrt(biasSquares / n), implicitHits / (double) n,
                popularHits / (double) n, mfWindows, biasWindows, implicitWindows, popularWindows,
                generator.driftAt(), n, n / seconds);
    }

    /** Whether {@code item} is among the entries of {@code best} (which this drains). */
    private static boolean contains(final TopK best, final int[] slots, final float[] scores,
                                    final EmbeddingTable items, final String item) {
        final int slot = items.find(item);
        final int n = best.drainBestFirst(slots, scores);
        for (int r = 0; r < n; r++) {
            if (slots[r] == slot) {
                return true;
            }
        }
        return false;
    }

    private static String events(final long events) {
        return events < 0 ? "never" : String.format(Locale.ROOT, "%,d", events);
    }

    private static String list(final double[] values) {
        final StringBuilder s = new StringBuilder();
        for (final double v : values) {
            s.append(String.format(Locale.ROOT, " %.3f", v));
        }
        return s.toString();
    }
}
