package io.eddy.learners.api;

import java.util.List;

/**
 * A learner whose model state includes rows for an unbounded space of ids (item embeddings), beside
 * its dense {@link OnlineLearner#parameters}. The engine persists each table's changed rows and
 * evicted ids before every commit ({@link EmbeddingTable#drainChanges}), restores them at start-up
 * ({@link EmbeddingTable#restore}), evicts rows idle for the model's {@code itemIdleSeconds}, and
 * clears the tables on reset.
 */
public interface RowTables {
    /** The tables, in a fixed order: a table's index is its name in the store. */
    List<EmbeddingTable> rowTables();

    /** Forgets every row of every table, as a fresh model has none (reset). */
    void clearRows();
}
