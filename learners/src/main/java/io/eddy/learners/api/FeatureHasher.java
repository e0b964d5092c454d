package io.eddy.learners.api;

/**
 * Hashes feature names and categorical values to 32-bit indices without allocating (MurmurHash3's
 * mixing over UTF-16 code units). A numeric feature hashes its name; a categorical one hashes its
 * value seeded with its name's hash, so {@code country=fr} and {@code city=fr} differ.
 */
public final class FeatureHasher {
    /** Index of the always-present bias feature. */
    public static final int BIAS = 0x5bd1e995;

    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private FeatureHasher() {
    }

    /** Hash of a feature name. */
    public static int hash(final CharSequence name) {
        int h = 0x9747b28c;
        final int n = name.length();
        for (int i = 0; i < n; i++) {
            h = mix(h, name.charAt(i));
        }
        return finish(h, n);
    }

    /** Hash of the categorical value {@code chars[offset, offset + length)} under {@code nameHash}. */
    public static int hash(final int nameHash, final char[] chars, final int offset, final int length) {
        int h = nameHash;
        for (int i = 0; i < length; i++) {
            h = mix(h, chars[offset + i]);
        }
        return finish(h, length + 1);
    }

    private static int mix(final int h, final int k) {
        int x = k * C1;
        x = Integer.rotateLeft(x, 15) * C2;
        final int y = Integer.rotateLeft(h ^ x, 13);
        return y * 5 + 0xe6546b64;
    }

    private static int finish(final int h, final int length) {
        int x = h ^ length;
        x ^= x >>> 16;
        x *= 0x85ebca6b;
        x ^= x >>> 13;
        x *= 0xc2b2ae35;
        return x ^ (x >>> 16);
    }
}
