package io.eddy.learners.reco;

/**
 * One event of a recommendation model, a mutable holder reused across events: an interaction
 * ({@code user}, {@code item}, and a rating when explicit) or a request for the user's top {@code k}
 * items, which {@link RecoLearner#predict} answers into the holder's answer arrays (no allocation:
 * the ids are the item table's own strings).
 */
public final class RecoExample {
    private String user;
    private String item;
    private float rating = Float.NaN;
    private int k;
    private boolean excludeSeen;
    private String[] answerItems = new String[0];
    private float[] answerScores = new float[0];
    private int answered;

    /** Forgets everything, the answer included. */
    public void clear() {
        user = null;
        item = null;
        rating = Float.NaN;
        k = 0;
        excludeSeen = false;
        answered = 0;
    }

    /** An interaction; {@code rating} NaN when there is none (implicit feedback). */
    public void interaction(final String userId, final String itemId, final float value) {
        this.user = userId;
        this.item = itemId;
        this.rating = value;
        this.k = 0;
    }

    /** A request for the user's top {@code count} items, leaving out those the user has interacted with. */
    public void request(final String userId, final int count, final boolean leaveOutSeen) {
        this.user = userId;
        this.item = null;
        this.k = count;
        this.excludeSeen = leaveOutSeen;
    }

    public String user() {
        return user;
    }

    /** The interaction's item; {@code null} for a request. */
    public String item() {
        return item;
    }

    public float rating() {
        return rating;
    }

    public boolean hasRating() {
        return !Float.isNaN(rating);
    }

    public boolean isRequest() {
        return k > 0;
    }

    /** Whether a model learns from it: an interaction, with a rating for a model of explicit ratings. */
    public boolean learnable(final boolean explicitRatings) {
        return !isRequest() && (!explicitRatings || hasRating());
    }

    public int k() {
        return k;
    }

    public boolean excludeSeen() {
        return excludeSeen;
    }

    /** Items answered to a request, best first. */
    public int answered() {
        return answered;
    }

    public String answerItem(final int rank) {
        return answerItems[rank];
    }

    public float answerScore(final int rank) {
        return answerScores[rank];
    }

    /** Room for an answer of {@code count} items. */
    void prepareAnswer(final int count) {
        if (answerItems.length < count) {
            answerItems = new String[count];
            answerScores = new float[count];
        }
        answered = 0;
    }

    void answer(final String itemId, final float score) {
        answerItems[answered] = itemId;
        answerScores[answered++] = score;
    }
}
