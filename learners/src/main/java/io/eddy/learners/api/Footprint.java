package io.eddy.learners.api;

import java.util.Locale;

/**
 * What a learner of some shape allocates, counted from its hyper-parameters before anything is: its
 * longest array, in elements, and all its arrays, in bytes. Doubles, so that no product of sizes
 * overflows while it is counted. The counts cover the arrays that grow with the shape, not the small ones.
 */
public record Footprint(double longestArray, double bytes) {
    /** The longest array a JVM makes. */
    public static final double MAX_ARRAY = Integer.MAX_VALUE - 8;
    public static final Footprint NONE = new Footprint(0, 0);

    /** Arrays of floats of these lengths. */
    public static Footprint floats(final double... lengths) {
        return of(4, lengths);
    }

    /** Arrays of doubles of these lengths. */
    public static Footprint doubles(final double... lengths) {
        return of(8, lengths);
    }

    /** Arrays of ints of these lengths. */
    public static Footprint ints(final double... lengths) {
        return of(4, lengths);
    }

    /** Arrays of longs of these lengths. */
    public static Footprint longs(final double... lengths) {
        return of(8, lengths);
    }

    /** Arrays of bytes of these lengths. */
    public static Footprint bytes(final double... lengths) {
        return of(1, lengths);
    }

    private static Footprint of(final int elementBytes, final double... lengths) {
        double longest = 0;
        double total = 0;
        for (final double length : lengths) {
            longest = Math.max(longest, length);
            total += length;
        }
        return new Footprint(longest, elementBytes * total);
    }

    /** {@code copies} of these arrays. */
    public Footprint times(final double copies) {
        return new Footprint(longestArray, bytes * copies);
    }

    public Footprint plus(final Footprint other) {
        return new Footprint(Math.max(longestArray, other.longestArray), bytes + other.bytes);
    }

    /**
     * Why a learner of this footprint cannot run in a JVM of {@code heapBytes} of heap, or {@code null}:
     * an array longer than a JVM makes, or more than half the heap (the other half is for the engine,
     * its Kafka clients and other models).
     */
    public String problem(final long heapBytes) {
        if (longestArray > MAX_ARRAY) {
            return String.format(Locale.ROOT, "its longest array would hold %.3g elements, more than a JVM makes "
                    + "(%,d)", longestArray, (long) MAX_ARRAY);
        }
        if (bytes > heapBytes / 2.0) {
            return String.format(Locale.ROOT, "it would take %.1f GiB of memory, more than half of this engine's "
                    + "heap (%.1f GiB)", bytes / (1L << 30), heapBytes / (double) (1L << 30));
        }
        return null;
    }
}
