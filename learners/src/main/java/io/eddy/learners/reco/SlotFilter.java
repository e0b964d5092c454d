package io.eddy.learners.reco;

/** Items a request leaves out (those the user has interacted with, for one). */
@FunctionalInterface
public interface SlotFilter {
    boolean skip(int slot);
}
