package io.eddy.learners.drift;

/** Watches a stream of per-event losses for a rise in their mean (concept drift). */
public interface DriftDetector {
    /** Adds one event's loss; true when it raises an alarm. A non-finite loss is ignored (false). */
    boolean add(double loss);
}
