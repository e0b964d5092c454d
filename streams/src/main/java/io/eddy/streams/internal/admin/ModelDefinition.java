package io.eddy.streams.internal.admin;

import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.model.EngineParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model as the registry on {@code eddy.models} describes it. Written only by the admin handler;
 * every engine instance reads it to decide which model applications to run.
 *
 * @param incarnation grows with every create, so a model deleted and created again under the same
 *     name gets a fresh application id, control topic and state
 * @param initialParams the parameters at create; a task with no stored state starts from these,
 *     later changes reach it through the control topic in order
 * @param backend the compute backend the model asked for ({@code auto}, {@code cpu} or {@code cuda}),
 *     or {@code null} for the engine's {@code --backend}
 * @param replicationFactor the replication factor of the model's topics, its changelog's too; {@code null}
 *     in registries written before it was recorded (the engine's {@code --replication-factor} then)
 */
public record ModelDefinition(
        String name,
        String type,
        Map<String, Double> params,
        Map<String, Double> initialParams,
        String inputTopic,
        String outputTopic,
        String controlTopic,
        String applicationId,
        int partitions,
        String status,
        long generation,
        long incarnation,
        List<SnapshotInfo> snapshots,
        String createdAt,
        String updatedAt,
        String backend,
        Short replicationFactor) {

    /** Prefix of the models' application ids, {@code eddy-model-<name>-<incarnation>}, and of their state folders. */
    public static final String APPLICATION_PREFIX = Topics.APPLICATION_PREFIX + "model-";
    public static final String ACTIVE = "active";
    public static final String PAUSED = "paused";

    /**
     * A named version of the model's state, taken by every partition's task.
     *
     * @param params the model's parameters when it was taken, which a rollback restores; {@code null} in
     *     registries written before snapshots recorded them
     */
    public record SnapshotInfo(String name, long generation, String createdAt, Map<String, Double> params) {
    }

    public ModelDefinition {
        snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
    }

    /**
     * The topic through which the model's tasks send one another their weights,
     * {@code eddy.sync.<model>.<incarnation>}, or {@code null} when they do not ({@code syncEvery} 0, fixed at
     * create).
     */
    public String syncTopic() {
        return syncEvery(params) > 0 ? Topics.SYNC_PREFIX + name + "." + incarnation : null;
    }

    /** The {@code syncEvery} among {@code params}; 0 for types without it and models from before it. */
    public static long syncEvery(final Map<String, Double> params) {
        return params.getOrDefault(EngineParameters.SYNC_EVERY, 0.0).longValue();
    }

    /** The topic of the model's late labels, {@code eddy.labels.<model>}, or {@code null} without them. */
    public String labelTopic() {
        return labelWaitSeconds(params) > 0 ? Topics.labels(name) : null;
    }

    /** The {@code labelWaitSeconds} among {@code params}; 0 for types without it and models from before it. */
    public static long labelWaitSeconds(final Map<String, Double> params) {
        return params.getOrDefault(EngineParameters.LABEL_WAIT_SECONDS, 0.0).longValue();
    }

    public boolean hasSnapshot(final String snapshot) {
        return snapshot(snapshot) != null;
    }

    /** The snapshot named {@code name}, or {@code null}. */
    public SnapshotInfo snapshot(final String name) {
        for (final SnapshotInfo info : snapshots) {
            if (info.name().equals(name)) {
                return info;
            }
        }
        return null;
    }

    ModelDefinition withStatus(final String value, final String now) {
        return new ModelDefinition(name, type, params, initialParams, inputTopic, outputTopic, controlTopic,
                applicationId, partitions, value, generation, incarnation, snapshots, createdAt, now, backend,
                replicationFactor);
    }

    ModelDefinition withNextGeneration(final Map<String, Double> newParams, final String now) {
        return new ModelDefinition(name, type, newParams, initialParams, inputTopic, outputTopic, controlTopic,
                applicationId, partitions, status, generation + 1, incarnation, snapshots, createdAt, now, backend,
                replicationFactor);
    }

    ModelDefinition withSnapshot(final String snapshot, final String now) {
        final List<SnapshotInfo> list = new ArrayList<>(snapshots);
        list.add(new SnapshotInfo(snapshot, generation, now, params));
        return new ModelDefinition(name, type, params, initialParams, inputTopic, outputTopic, controlTopic,
                applicationId, partitions, status, generation, incarnation, list, createdAt, now, backend,
                replicationFactor);
    }
}
