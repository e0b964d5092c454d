package io.eddy.connectors.ratings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class RatingsGeneratorTest {
    /**
     * The mechanism's tests run on a wide pool of users and a mild taste effect (2,000 users, new users
     * 0.002 and items 0.001 per event, item Zipf 1.0, 20 candidates, temperature 0.5, noise 0.3), so
     * that their figures do not move with the defaults, which {@code eval reco} picks.
     */
    private static final RatingsGenerator.Config BASE = new RatingsGenerator.Config(2_000, 1_000, 8, 0.002, 0.001,
            1.0, 0.5, 20, 0.5, RatingsGenerator.Config.DRIFT_AT_HALF, 1_000_000, 0.3, 42);
    private static final RatingsGenerator.Config NO_DRIFT = BASE.withEvents(100_000).withDriftAt(Long.MAX_VALUE);

    @Test
    void shouldRepeatTheStreamForTheSameSeedAndChangeItForAnother() {
        final RatingsGenerator.Config config = RatingsGenerator.Config.defaults().withEvents(20_000).withSeed(7);
        final RatingsGenerator first = new RatingsGenerator(config);
        final RatingsGenerator second = new RatingsGenerator(config);
        final RatingsGenerator other = new RatingsGenerator(config.withSeed(8));
        final Interaction a = new Interaction();
        final Interaction b = new Interaction();
        final Interaction c = new Interaction();
        int differentItems = 0;
        while (first.next(a)) {
            assertTrue(second.next(b));
            assertTrue(other.next(c));
            assertEquals(a.toString(), b.toString());
            differentItems += a.item() != c.item() ? 1 : 0;
        }
        assertFalse(second.next(b));
        assertEquals(first.users(), second.users());
        assertEquals(first.items(), second.items());
        assertTrue(differentItems > 15_000, "another seed gives another stream: " + differentItems + " differ");
    }

    @Test
    void shouldEndAfterItsEventsAndLeaveTheHolderAlone() {
        final RatingsGenerator generator = new RatingsGenerator(RatingsGenerator.Config.defaults().withEvents(3));
        final Interaction event = new Interaction();
        for (int i = 0; i < 3; i++) {
            assertTrue(generator.hasNext());
            assertTrue(generator.next(event));
            assertEquals(i, event.index());
        }
        final String last = event.toString();
        assertFalse(generator.hasNext());
        assertFalse(generator.next(event));
        assertEquals(last, event.toString());
        assertEquals(3, generator.produced());
        assertEquals(1, generator.driftAt(), "half of 3 events by default");
        assertEquals(1_000_000, new RatingsGenerator().config().events());
        assertEquals(500_000, new RatingsGenerator().driftAt());
    }

    @Test
    void shouldRefuseSettingsOutOfRange() {
        final RatingsGenerator.Config ok = RatingsGenerator.Config.defaults();
        assertThrows(IllegalArgumentException.class, () -> ok.withInitialUsers(0));
        assertThrows(IllegalArgumentException.class, () -> ok.withCandidates(0));
        assertThrows(IllegalArgumentException.class, () -> ok.withNewItemProbability(1));
        assertThrows(IllegalArgumentException.class, () -> ok.withTemperature(0));
        assertThrows(IllegalArgumentException.class, () -> ok.withItemZipfExponent(-1));
        assertThrows(IllegalArgumentException.class, () -> ok.withDriftAt(-2));
        assertThrows(IllegalArgumentException.class, () -> ok.withRatingNoise(Double.NaN));
    }

    @Test
    void shouldGiveDenseIdsInOrderOfFirstAppearanceWithNewcomersOverTime() {
        final RatingsGenerator generator = new RatingsGenerator(NO_DRIFT.withEvents(200_000));
        final Interaction event = new Interaction();
        int users = 0;
        int items = 0;
        int usersBeyondInitial = 0;
        int itemsBeyondInitial = 0;
        int newUsersInLastQuarter = 0;
        int newItemsInLastQuarter = 0;
        while (generator.next(event)) {
            assertTrue(event.user() >= 0 && event.user() <= users, "user " + event.user() + " after " + users);
            assertTrue(event.item() >= 0 && event.item() <= items, "item " + event.item() + " after " + items);
            if (event.user() == users) {
                users++;
                newUsersInLastQuarter += event.index() >= 150_000 ? 1 : 0;
            }
            if (event.item() == items) {
                items++;
                newItemsInLastQuarter += event.index() >= 150_000 ? 1 : 0;
            }
            usersBeyondInitial += event.user() >= 2_000 ? 1 : 0;
            itemsBeyondInitial += event.item() >= 1_000 ? 1 : 0;
            assertEquals(users, generator.users());
            assertEquals(items, generator.items());
        }
        // 0.002 new users and 0.001 new items per event: about 400 and 200 arrive in 200,000 events.
        assertTrue(users > 2_300, "initial users all active, and newcomers: " + users);
        assertTrue(items > 1_050, "initial items all seen, and newcomers: " + items);
        assertTrue(newUsersInLastQuarter > 50, "users keep arriving: " + newUsersInLastQuarter);
        assertTrue(newItemsInLastQuarter > 10, "items keep arriving: " + newItemsInLastQuarter);
        assertTrue(usersBeyondInitial > 1_000, "newcomers come back: " + usersBeyondInitial);
        assertTrue(itemsBeyondInitial > 1_000, "new items get chosen: " + itemsBeyondInitial);
    }

    @Test
    void shouldKeepRatingsInRangeAndTimeMoving() {
        final RatingsGenerator generator = new RatingsGenerator(NO_DRIFT);
        final Interaction event = new Interaction();
        double sum = 0;
        double sumSquares = 0;
        long previous = RatingsGenerator.START_TIMESTAMP;
        while (generator.next(event)) {
            final float rating = event.rating();
            assertTrue(rating >= 1 && rating <= 5, event.toString());
            sum += rating;
            sumSquares += rating * (double) rating;
            assertTrue(event.timestamp() >= previous, event.toString());
            if (event.index() == 0) {
                assertEquals(RatingsGenerator.START_TIMESTAMP, event.timestamp());
            }
            previous = event.timestamp();
        }
        final double n = NO_DRIFT.events();
        final double mean = sum / n;
        final double std = Math.sqrt(sumSquares / n - mean * mean);
        // Users rate what they pick against what they usually pick: ratings centre on the global mean 3.5,
        // and biases and taste spread them.
        assertTrue(mean > 3.4 && mean < 3.6, "mean rating " + mean);
        assertTrue(std > 0.4 && std < 1.2, "rating std " + std);
        final double meanGap = (previous - RatingsGenerator.START_TIMESTAMP) / (n - 1);
        assertEquals(RatingsGenerator.MEAN_GAP_MS, meanGap, 20, "exponential gaps of mean 1 s");
    }

    @Test
    void shouldMakeItemPopularityHeavyTailed() {
        final RatingsGenerator generator = new RatingsGenerator(NO_DRIFT);
        final Interaction event = new Interaction();
        int[] counts = new int[4_096];
        while (generator.next(event)) {
            if (event.item() >= counts.length) {
                counts = Arrays.copyOf(counts, counts.length * 2);
            }
            counts[event.item()]++;
        }
        final int items = generator.items();
        final int[] sorted = Arrays.copyOf(counts, items);
        Arrays.sort(sorted);
        final int top = Math.max(1, items / 100);
        long topCount = 0;
        for (int i = items - top; i < items; i++) {
            topCount += sorted[i];
        }
        final double share = topCount / (double) NO_DRIFT.events();
        assertTrue(share > 0.15, "the top 1% of " + items + " items get " + share + " of the interactions");
        final double medianShare = sorted[items / 2] / (double) NO_DRIFT.events();
        assertTrue(share / top > 50 * medianShare, "a top item gets 50 times the median item's share: "
                + share / top + " vs " + medianShare);
    }

    @Test
    void shouldLetTasteDecideWhatIsChosenAmongThePopularItems() {
        final double[] byTaste = meanAffinityOfChoices(NO_DRIFT);
        // One candidate: the choice is the popularity draw itself, blind to taste.
        final double[] byPopularityOnly = meanAffinityOfChoices(NO_DRIFT.withCandidates(1));
        assertTrue(Math.abs(byPopularityOnly[0]) < 0.05, "popularity alone ignores taste: " + byPopularityOnly[0]);
        assertTrue(byTaste[0] > 1.0, "chosen items fit the user's taste: mean affinity " + byTaste[0]
                + " (a random pair's has std 1)");
        assertTrue(byTaste[1] > 0.95, "for almost every user: " + byTaste[1]);
        assertTrue(byPopularityOnly[1] < 0.7, "popularity alone: " + byPopularityOnly[1]);
    }

    /** Mean affinity of chosen items, and the share of active users whose own mean is positive. */
    private static double[] meanAffinityOfChoices(final RatingsGenerator.Config config) {
        final RatingsGenerator generator = new RatingsGenerator(config);
        final Interaction event = new Interaction();
        double sum = 0;
        double[] perUserSum = new double[4_096];
        int[] perUserCount = new int[4_096];
        while (generator.next(event)) {
            final double affinity = generator.affinity(event.user(), event.item());
            sum += affinity;
            if (event.user() >= perUserSum.length) {
                perUserSum = Arrays.copyOf(perUserSum, perUserSum.length * 2);
                perUserCount = Arrays.copyOf(perUserCount, perUserCount.length * 2);
            }
            perUserSum[event.user()] += affinity;
            perUserCount[event.user()]++;
        }
        int active = 0;
        int positive = 0;
        for (int user = 0; user < generator.users(); user++) {
            if (perUserCount[user] >= 20) {
                active++;
                positive += perUserSum[user] > 0 ? 1 : 0;
            }
        }
        assertTrue(active > 1_000, "active users " + active);
        return new double[] {sum / config.events(), positive / (double) active};
    }

    @Test
    void shouldChangeWhatUsersLikeAtTheDrift() {
        final RatingsGenerator.Config config = BASE.withEvents(200_000)
                .withDriftAt(RatingsGenerator.Config.DRIFT_AT_HALF);
        final RatingsGenerator generator = new RatingsGenerator(config);
        assertEquals(100_000, generator.driftAt());
        final Interaction event = new Interaction();
        double before = 0;
        int beforeCount = 0;
        while (generator.produced() < generator.driftAt() && generator.next(event)) {
            if (event.index() >= 50_000) {
                before += generator.affinity(event.user(), event.item());
                beforeCount++;
            }
        }
        final int oldUsers = generator.users();
        final float[][] oldTastes = new float[oldUsers][];
        for (int user = 0; user < oldUsers; user++) {
            oldTastes[user] = generator.userTaste(user);
        }
        double afterUnderOldTastes = 0;
        double afterUnderNewTastes = 0;
        int afterCount = 0;
        while (generator.next(event)) {
            if (event.user() < oldUsers && event.index() < 150_000) {
                final float[] item = generator.itemTaste(event.item());
                double old = 0;
                for (int k = 0; k < item.length; k++) {
                    old += oldTastes[event.user()][k] * item[k];
                }
                afterUnderOldTastes += old;
                afterUnderNewTastes += generator.affinity(event.user(), event.item());
                afterCount++;
            }
        }
        before /= beforeCount;
        afterUnderOldTastes /= afterCount;
        afterUnderNewTastes /= afterCount;
        assertTrue(before > 1.0, "before the drift choices fit the tastes: " + before);
        assertTrue(afterUnderOldTastes < 0.1, "after it they no longer fit the old tastes: " + afterUnderOldTastes);
        assertTrue(afterUnderNewTastes > 1.0, "but the new ones: " + afterUnderNewTastes);
    }

    @Test
    void shouldDrawRanksWithZipfProbabilities() {
        final RatingsGenerator.ZipfTable table = new RatingsGenerator.ZipfTable(1.0);
        for (final int ranks : new int[] {1, 7, 300}) {
            table.grow(ranks);
            assertEquals(ranks, table.ranks());
            double norm = 0;
            for (int r = 0; r < ranks; r++) {
                norm += 1.0 / (r + 1);
            }
            // A fine grid of uniforms stands in for random draws: the error is at most ranks / grid.
            final int grid = 3_000_000;
            final int[] counts = new int[ranks];
            for (int k = 0; k < grid; k++) {
                counts[table.sample((k + 0.5) / grid)]++;
            }
            for (int r = 0; r < ranks; r++) {
                assertEquals(1.0 / (r + 1) / norm, counts[r] / (double) grid, 2.0 * ranks / grid,
                        "rank " + r + " of " + ranks);
            }
        }
    }

    @Test
    void shouldGenerateQuickly() {
        final Interaction event = new Interaction();
        long checksum = 0;
        final RatingsGenerator warmUp = new RatingsGenerator(RatingsGenerator.Config.defaults().withEvents(1_000_000));
        while (warmUp.next(event)) {
            checksum += event.item();
        }
        final RatingsGenerator generator = new RatingsGenerator(RatingsGenerator.Config.defaults()
                .withEvents(3_000_000).withSeed(3));
        final long start = System.nanoTime();
        while (generator.next(event)) {
            checksum += event.item();
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "RatingsGenerator: %,.0f events/s (default config, 3,000,000 events, "
                + "%,d users and %,d items at the end; checksum %d)%n", 3_000_000 / seconds, generator.users(),
                generator.items(), checksum);
        assertEquals(3_000_000, generator.produced());
    }
}
