package io.eddy.streams.internal.model;

import io.eddy.learners.api.HyperParameter;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.drift.Adwin;
import io.eddy.learners.drift.PageHinkley;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Parameters every model has whatever its type, because the engine rather than the learner uses them:
 * the drift detector's, and for types whose replicas merge, how often. They are validated, stored and
 * updated with the type's own.
 */
public final class EngineParameters {
    /** The rise in the mean loss per event, in standard deviations, that the drift detector tolerates. */
    public static final String DRIFT_DELTA = "driftDelta";
    /** The drift detector's alarm threshold on the accumulated rise, in standard deviations; 0: no detector. */
    public static final String DRIFT_THRESHOLD = "driftThreshold";
    /** Which drift detector watches the losses: Page-Hinkley (index 0) or ADWIN (index 1). */
    public static final String DRIFT_DETECTOR = "driftDetector";
    static final List<String> DRIFT_DETECTORS = List.of("page-hinkley", "adwin");
    /** ADWIN's confidence: the chance of a false alarm on a stationary stream, about, per test. */
    public static final String DRIFT_CONFIDENCE = "driftConfidence";
    /**
     * Learned events after which each task of a model of several partitions sends its weights to the others,
     * which move towards them (types whose replicas merge, {@link LearnerType#mergesReplicas}); 0: never.
     */
    public static final String SYNC_EVERY = "syncEvery";
    /**
     * Seconds of event time an unlabelled event waits for its label on the model's labels topic
     * ({@link LearnerType#takesLateLabels}); 0: labels come with the events only.
     */
    public static final String LABEL_WAIT_SECONDS = "labelWaitSeconds";
    static final HyperParameter LABEL_WAIT = HyperParameter.whole(LABEL_WAIT_SECONDS, 0, 0, 7 * 24 * 3600, false,
            "Late labels: an unlabelled event is kept this many seconds of event time for its label, which may "
                    + "come on the model's labels topic eddy.labels.<model> as {\"id\",\"label\"} or {\"id\",\"y\"}; "
                    + "the model then learns from the event with it. 0: labels come with the events only.");
    static final HyperParameter SYNC = HyperParameter.whole(SYNC_EVERY, 0, 0, 1_000_000_000, false,
            "Model merging: with several partitions, each partition's task sends its weights to the others every "
                    + "syncEvery learned events, and moves 1/partitions of the way towards each replica's weights it "
                    + "receives; 0 keeps the replicas apart.");

    static final List<HyperParameter> ALL = List.of(
            HyperParameter.real(DRIFT_DELTA, PageHinkley.DEFAULT_DELTA, 0, 10, true,
                    "Drift alarms: the rise of the mean loss per event, in standard deviations of the loss, that is "
                            + "tolerated; smaller shifts are not detected."),
            HyperParameter.real(DRIFT_THRESHOLD, PageHinkley.DEFAULT_LAMBDA, 0, 1e6, true,
                    "Drift alarms: the accumulated rise, in standard deviations, that raises an alarm (a shift of s "
                            + "standard deviations after about driftThreshold / (s - driftDelta) events); 0 turns "
                            + "drift detection off, whichever detector."),
            HyperParameter.choice(DRIFT_DETECTOR, "page-hinkley", DRIFT_DETECTORS, true,
                    "Drift alarms: page-hinkley (a rise against a threshold in standard deviations: driftDelta, "
                            + "driftThreshold) or adwin (an adaptive window cut where its two parts' mean losses "
                            + "differ beyond chance at driftConfidence)."),
            HyperParameter.real(DRIFT_CONFIDENCE, Adwin.DEFAULT_DELTA, 1e-12, 0.5, true,
                    "Drift alarms with adwin: the confidence of each cut, about the chance of a false alarm per "
                            + "test on a stationary stream; smaller finds shifts later."));

    private EngineParameters() {
    }

    /** The parameters a model of {@code type} takes: the type's own, then these ({@link #SYNC_EVERY} if it merges). */
    public static List<HyperParameter> of(final LearnerType<?> type) {
        final List<HyperParameter> all = new ArrayList<>(type.hyperParameters());
        all.addAll(ALL);
        if (type.mergesReplicas()) {
            all.add(SYNC);
        }
        if (type.takesLateLabels()) {
            all.add(LABEL_WAIT);
        }
        return Collections.unmodifiableList(all);
    }
}
