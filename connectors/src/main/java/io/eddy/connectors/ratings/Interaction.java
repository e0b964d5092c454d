package io.eddy.connectors.ratings;

/**
 * One user–item interaction of a {@link RatingsGenerator}: a mutable holder that the generator refills
 * on every {@link RatingsGenerator#next(Interaction)}, so a stream of millions of events allocates
 * nothing per event. Copy what must outlive the next call.
 *
 * <p>User and item ids are dense and non-negative, given in order of first appearance in the stream:
 * the first user seen is 0, the next new one 1, and so on (items alike). A learner can therefore index
 * arrays by id and grow them by one when an id equal to its current size shows up.
 */
public final class Interaction {
    private long index = -1;
    private int user = -1;
    private int item = -1;
    private float rating;
    private long timestamp;

    /** Position of the event in its stream, from 0; -1 before the first. */
    public long index() {
        return index;
    }

    /** The user, a dense id in order of first appearance. */
    public int user() {
        return user;
    }

    /** The item, a dense id in order of first appearance. */
    public int item() {
        return item;
    }

    /**
     * The explicit rating in [1, 5]; an implicit-feedback learner ignores it and takes the event itself
     * as the positive signal.
     */
    public float rating() {
        return rating;
    }

    /** When it happened, in milliseconds since the epoch; non-decreasing along a stream. */
    public long timestamp() {
        return timestamp;
    }

    /** Overwrites every field; returns this holder. */
    public Interaction set(final long index, final int user, final int item, final float rating,
                           final long timestamp) {
        this.index = index;
        this.user = user;
        this.item = item;
        this.rating = rating;
        this.timestamp = timestamp;
        return this;
    }

    @Override
    public String toString() {
        return "Interaction{index=" + index + ", user=" + user + ", item=" + item + ", rating=" + rating
                + ", timestamp=" + timestamp + '}';
    }
}
