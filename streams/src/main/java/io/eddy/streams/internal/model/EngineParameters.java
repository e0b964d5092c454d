package io.eddy.streams.internal.model;

import io.eddy.learners.api.HyperParameter;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.drift.PageHinkley;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Parameters every model has whatever its type, because the engine rather than the learner uses them:
 * the drift detector's. They are validated, stored and updated with the type's own.
 */
public final class EngineParameters {
    /** The rise in the mean loss per event, in standard deviations, that the drift detector tolerates. */
    public static final String DRIFT_DELTA = "driftDelta";
    /** The drift detector's alarm threshold on the accumulated rise, in standard deviations; 0: no detector. */
    public static final String DRIFT_THRESHOLD = "driftThreshold";

    static final List<HyperParameter> ALL = List.of(
            HyperParameter.real(DRIFT_DELTA, PageHinkley.DEFAULT_DELTA, 0, 10, true,
                    "Drift alarms: the rise of the mean loss per event, in standard deviations of the loss, that is "
                            + "tolerated; smaller shifts are not detected."),
            HyperParameter.real(DRIFT_THRESHOLD, PageHinkley.DEFAULT_LAMBDA, 0, 1e6, true,
                    "Drift alarms: the accumulated rise, in standard deviations, that raises an alarm (a shift of s "
                            + "standard deviations after about driftThreshold / (s - driftDelta) events); 0 turns "
                            + "drift detection off."));

    private EngineParameters() {
    }

    /** The parameters a model of {@code type} takes: the type's own, then these. */
    public static List<HyperParameter> of(final LearnerType<?> type) {
        final List<HyperParameter> all = new ArrayList<>(type.hyperParameters());
        all.addAll(ALL);
        return Collections.unmodifiableList(all);
    }
}
