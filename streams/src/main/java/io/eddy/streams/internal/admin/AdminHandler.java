package io.eddy.streams.internal.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.learners.LearnerCatalog;
import io.eddy.learners.api.HyperParameter;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.InvalidConfigException;
import io.eddy.learners.api.LearnerType;
import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.json.Json;
import io.eddy.streams.internal.model.EngineParameters;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Decides what an admin command does against the registry. Every check runs before any effect,
 * so a rejected command changes nothing; the caller applies an accepted {@link Outcome} atomically
 * (the admin application's transaction).
 */
public final class AdminHandler {

    /** The registry as the admin handler sees it. */
    public interface Registry {
        ModelDefinition get(String model);

        List<ModelDefinition> all();

        /**
         * A number never handed out before: the incarnation the next create gets. Reading it changes
         * nothing; applying the create's outcome hands it out.
         */
        long nextIncarnation();
    }

    /** The few cluster operations the handler needs. */
    public interface TopicAdmin {
        OptionalInt partitions(String topic);

        /**
         * Creates the topics that do not exist yet, all or none: every one is validated by the
         * cluster before any is created. Topics that already exist are left as they are.
         */
        void create(List<String> topics, int partitions, short replicationFactor);
    }

    /**
     * What an accepted command does.
     *
     * @param result the {@code result} field of the reply
     * @param definition the model's new definition, or {@code null} when the registry is unchanged
     * @param deleted the deleted model's definition, or {@code null}
     * @param control the message for every task of the model, or {@code null}
     */
    public record Outcome(JsonNode result, ModelDefinition definition, ModelDefinition deleted,
                          ControlMessage control) {
    }

    private final Registry registry;
    private final TopicAdmin topics;
    private final short defaultReplicationFactor;
    private final Set<String> adminTopics;
    private final long heapBytes;

    /**
     * @param adminTopics the topics this engine takes admin commands from, which no model may use
     * @param heapBytes the heap of the engines that run the models' tasks: a model whose learner would
     *     not fit in half of it is refused
     */
    public AdminHandler(final Registry registry, final TopicAdmin topics, final short defaultReplicationFactor,
                        final Collection<String> adminTopics, final long heapBytes) {
        this.registry = registry;
        this.topics = topics;
        this.defaultReplicationFactor = defaultReplicationFactor;
        this.adminTopics = Set.copyOf(adminTopics);
        this.heapBytes = heapBytes;
    }

    /** Applies {@code command} at time {@code now} (ISO-8601); throws {@link AdminException} if rejected. */
    public Outcome handle(final AdminCommand command, final String now) {
        if (command instanceof AdminCommand.Create create) {
            return create(create, now);
        }
        if (command instanceof AdminCommand.ListModels) {
            final ArrayNode models = Json.MAPPER.createArrayNode();
            for (final ModelDefinition definition : registry.all()) {
                models.addObject().put("name", definition.name()).put("type", definition.type())
                        .put("status", definition.status()).put("generation", definition.generation());
            }
            final ObjectNode result = Json.MAPPER.createObjectNode();
            result.set("models", models);
            return new Outcome(result, null, null, null);
        }
        final ModelDefinition current = existing(((AdminCommand.ModelCommand) command).model());
        if (command instanceof AdminCommand.Describe) {
            return new Outcome(view(current), null, null, null);
        }
        if (command instanceof AdminCommand.Update update) {
            final Map<String, Double> params;
            try {
                final List<HyperParameter> specs = EngineParameters.of(learnerType(current.type()));
                params = HyperParameters.update(specs, current.params(),
                        HyperParameters.coerce(specs, update.params()));
            } catch (final InvalidConfigException e) {
                throw new AdminException(e.getMessage());
            }
            final ModelDefinition next = current.withNextGeneration(params, now);
            return accepted(next, new ControlMessage(ControlMessage.UPDATE, next.generation(), params, null));
        }
        if (command instanceof AdminCommand.Pause) {
            if (ModelDefinition.PAUSED.equals(current.status())) {
                throw new AdminException("model '" + current.name() + "' is already paused");
            }
            final ModelDefinition next = current.withStatus(ModelDefinition.PAUSED, now);
            return accepted(next, new ControlMessage(ControlMessage.PAUSE, next.generation(), null, null));
        }
        if (command instanceof AdminCommand.Resume) {
            if (!ModelDefinition.PAUSED.equals(current.status())) {
                throw new AdminException("model '" + current.name() + "' is not paused");
            }
            final ModelDefinition next = current.withStatus(ModelDefinition.ACTIVE, now);
            return accepted(next, new ControlMessage(ControlMessage.RESUME, next.generation(), null, null));
        }
        if (command instanceof AdminCommand.Snapshot snapshot) {
            if (current.hasSnapshot(snapshot.snapshot())) {
                throw new AdminException("model '" + current.name() + "' already has a snapshot named '"
                        + snapshot.snapshot() + "'");
            }
            final ModelDefinition next = current.withSnapshot(snapshot.snapshot(), now);
            return accepted(next, new ControlMessage(ControlMessage.SNAPSHOT, next.generation(), null,
                    snapshot.snapshot()));
        }
        if (command instanceof AdminCommand.Rollback rollback) {
            final ModelDefinition.SnapshotInfo snapshot = current.snapshot(rollback.snapshot());
            if (snapshot == null) {
                throw new AdminException("model '" + current.name() + "' has no snapshot named '"
                        + rollback.snapshot() + "'");
            }
            // the tasks take the snapshot's parameters back with its state
            final ModelDefinition next = current.withNextGeneration(
                    snapshot.params() != null ? snapshot.params() : current.params(), now);
            return accepted(next, new ControlMessage(ControlMessage.ROLLBACK, next.generation(), null,
                    rollback.snapshot()));
        }
        if (command instanceof AdminCommand.Reset) {
            final ModelDefinition next = current.withNextGeneration(current.params(), now);
            return accepted(next, new ControlMessage(ControlMessage.RESET, next.generation(), null, null));
        }
        if (command instanceof AdminCommand.Delete) {
            final ObjectNode result = Json.MAPPER.createObjectNode().put("deleted", current.name());
            return new Outcome(result, null, current, null);
        }
        throw new AdminException("unsupported command " + command.getClass().getSimpleName());
    }

    private Outcome create(final AdminCommand.Create create, final String now) {
        if (registry.get(create.model()) != null) {
            throw new AdminException("model '" + create.model() + "' already exists");
        }
        final LearnerType<?> type = learnerType(create.type());
        final Map<String, Double> params;
        try {
            final List<HyperParameter> specs = EngineParameters.of(type);
            params = HyperParameters.resolve(specs, HyperParameters.coerce(specs, create.params()));
            type.checkNewModel(params);
        } catch (final InvalidConfigException e) {
            throw new AdminException(e.getMessage());
        }
        final String tooLarge = type.footprint(params).problem(heapBytes);
        if (tooLarge != null) {
            throw new AdminException("a " + type.name() + " learner of these sizes cannot be built: " + tooLarge
                    + "; choose smaller sizes");
        }
        final String input = create.inputTopic() != null ? create.inputTopic() : Topics.input(create.model());
        final String output = create.outputTopic() != null ? create.outputTopic() : Topics.output(create.model());
        if (input.equals(output)) {
            throw new AdminException("input and output topic must differ, both are '" + input + "'");
        }
        for (final String topic : List.of(input, output)) {
            if (Topics.isEngines(topic) || adminTopics.contains(topic)) {
                throw new AdminException("'" + topic + "' is one of the engine's own topics, not a model's input "
                        + "or output");
            }
        }
        final OptionalInt existing = topics.partitions(input);
        if (existing.isPresent() && create.partitions() != null && existing.getAsInt() != create.partitions()) {
            throw new AdminException("input topic '" + input + "' exists with " + existing.getAsInt()
                    + " partitions, not " + create.partitions());
        }
        final int partitions = existing.isPresent() ? existing.getAsInt()
                : create.partitions() != null ? create.partitions() : 1;
        if (ModelDefinition.syncEvery(params) > 0 && partitions < 2) {
            throw new AdminException("syncEvery merges the replicas of a model of several partitions; '" + input
                    + "' has " + partitions + ": give more partitions, or leave syncEvery at 0");
        }
        final short replication = create.replicationFactor() != null ? create.replicationFactor()
                : defaultReplicationFactor;
        final long incarnation = registry.nextIncarnation();
        final String controlTopic = Topics.CONTROL_PREFIX + create.model() + "." + incarnation;
        final String applicationId = ModelDefinition.APPLICATION_PREFIX + create.model() + "-" + incarnation;

        final List<String> missing = new java.util.ArrayList<>();
        if (existing.isEmpty()) {
            missing.add(input);
        }
        if (topics.partitions(output).isEmpty()) {
            missing.add(output);
        }
        missing.add(controlTopic);
        final ModelDefinition definition = new ModelDefinition(create.model(), type.name(), params, params, input,
                output, controlTopic, applicationId, partitions, ModelDefinition.ACTIVE, 1, incarnation, List.of(),
                now, now, create.backend(), replication);
        if (definition.syncTopic() != null) {
            missing.add(definition.syncTopic());
        }
        final String labels = definition.labelTopic();
        if (labels != null) {
            // a label must reach the task that holds its event: the two topics are partitioned alike
            final OptionalInt labelPartitions = topics.partitions(labels);
            if (labelPartitions.isEmpty()) {
                missing.add(labels);
            } else if (labelPartitions.getAsInt() != partitions) {
                throw new AdminException("labels topic '" + labels + "' exists with " + labelPartitions.getAsInt()
                        + " partitions, the input '" + input + "' has " + partitions + ": they must be the same");
            }
        }
        topics.create(missing, partitions, replication);

        return new Outcome(view(definition), definition, null, null);
    }

    /**
     * A change the model's tasks hear of through its control topic. Refused while that topic is missing (deleted
     * by hand): the message could not be sent, and the registry would say what no task was told.
     */
    private Outcome accepted(final ModelDefinition next, final ControlMessage control) {
        if (topics.partitions(next.controlTopic()).isEmpty()) {
            throw new AdminException("model '" + next.name() + "' has lost its control topic '" + next.controlTopic()
                    + "'; its tasks cannot be told of changes: delete the model and create it again");
        }
        return new Outcome(view(next), next, null, control);
    }

    /** A definition as replies show it: choice parameters by option name rather than index. */
    private static JsonNode view(final ModelDefinition definition) {
        final ObjectNode node = Json.MAPPER.valueToTree(definition);
        final LearnerType<?> type = LearnerCatalog.find(definition.type());
        if (type != null) {
            final List<HyperParameter> specs = EngineParameters.of(type);
            node.set("params", Json.MAPPER.valueToTree(HyperParameters.display(specs, definition.params())));
            node.set("initialParams", Json.MAPPER.valueToTree(HyperParameters.display(specs,
                    definition.initialParams())));
            final ArrayNode snapshots = node.withArray("snapshots");
            for (int i = 0; i < snapshots.size(); i++) {
                final Map<String, Double> params = definition.snapshots().get(i).params();
                if (params != null) {
                    ((ObjectNode) snapshots.get(i)).set("params", Json.MAPPER.valueToTree(
                            HyperParameters.display(specs, params)));
                }
            }
        }
        return node;
    }

    private ModelDefinition existing(final String model) {
        final ModelDefinition definition = registry.get(model);
        if (definition == null) {
            throw new AdminException("no model named '" + model + "'");
        }
        return definition;
    }

    private static LearnerType<?> learnerType(final String name) {
        final LearnerType<?> type = LearnerCatalog.find(name);
        if (type == null) {
            throw new AdminException("unknown learner type '" + name + "'; known: "
                    + String.join(", ", LearnerCatalog.names()));
        }
        return type;
    }
}
