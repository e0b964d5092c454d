package io.eddy.learners.api;

/** Reading a classifier's per-class scores. */
public final class Scores {
    private Scores() {
    }

    /** The index of the highest score; the first of equal ones. */
    public static int argMax(final float[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }
}
