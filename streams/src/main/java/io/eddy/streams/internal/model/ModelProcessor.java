package io.eddy.streams.internal.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.kernels.Backends;
import io.eddy.kernels.api.ComputeBackend;
import io.eddy.learners.api.EmbeddingTable;
import io.eddy.learners.api.EventGroup;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.InvalidConfigException;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.api.ParameterState;
import io.eddy.learners.api.RowTables;
import io.eddy.state.api.ModelMeta;
import io.eddy.state.api.ModelStateStore;
import io.eddy.streams.internal.admin.ControlMessage;
import io.eddy.streams.internal.admin.ModelDefinition;
import io.eddy.streams.internal.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task of one model: test-then-train on every event of its input partition, and applies the
 * admin's control messages in order with the events.
 *
 * <p>Per event: decode and validate (rejects go to the dead-letter topic with reason and original
 * bytes) → predict → learn when labelled and not paused → emit the prediction with the generation
 * and the updates absorbed before this event. Learners take events in groups of up to
 * {@link io.eddy.learners.api.OnlineLearner#groupCapacity} (of distinct keys, for learners with per-key
 * state): a group is stepped when it is full, before an event of a key already in it, before a control
 * message or an eviction, and before every commit; the learner's step equals taking the events one by one.
 * Key states stay in a write-behind cache ({@link KeyStates}). Changed key states, parameter blocks
 * and the meta record reach the changelogged store before every commit through
 * {@link ModelStateStore#beforeCommit}.
 */
final class ModelProcessor<E> implements Processor<byte[], byte[], byte[], byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(ModelProcessor.class);
    /** The parameter, of learners that keep per-key state, after which an idle key's state is evicted. */
    static final String IDLE_SECONDS = "idleSeconds";
    /** The parameter, of learners that keep per-key state, with the megabytes of states a task caches. */
    static final String KEY_CACHE_MB = "keyCacheMB";
    /**
     * Most bytes of key, value and headers in a prediction or dead letter: Kafka's default producer
     * {@code max.request.size} and topic {@code max.message.bytes} are 1 MiB, less room here for a
     * record's framing. A record over it fails its send, and with it the model, at the same event after
     * every restart: a dead letter leaves the original out instead, a prediction is dead-lettered.
     */
    static final int RECORD_LIMIT = (1 << 20) - 1024;
    /** Most characters of a reason kept in a dead letter that would pass {@link #RECORD_LIMIT}. */
    private static final int SHORT_REASON = 1_000;

    private final ModelDefinition definition;
    private final ModelKind<E> kind;
    private final String engineBackend;
    private final long metricsIntervalMs;
    private final byte[] modelKey;
    private final EventDecoder<E> decoder;

    private ProcessorContext<byte[], byte[]> context;
    private InternalProcessorContext<byte[], byte[]> internalContext;
    /** This processor's node in the topology, to forward from the pre-commit hook. */
    private ProcessorNode<?, ?, ?, ?> node;
    private ModelStateStore store;
    private OnlineLearner<E> learner;
    private ParameterState parameters;
    private KeyStates keyStates;
    /** The events gathered for the learner's next step, with what their outputs need. */
    private EventGroup<E> group;
    private Record<byte[], byte[]>[] records;
    private String[] eventIds;
    private long[] offsets;
    private int[] partitions;
    /** Each gathered event's topic: the input's, or the labels topic's for an event given its label there. */
    private String[] topics;
    /** Each gathered event's position in the task's stream (its {@code seen} count), for drift alarms. */
    private long[] eventIndexes;
    private Bytes[] keys;
    /** When each gathered event's key was last seen before it, as read with its state. */
    private long[] keysSeen;
    private final Set<Bytes> groupKeys = new HashSet<>();
    private ModelMeta meta;
    private long updates;
    private boolean metaChanged;
    /** The key count last written to the store with the states it counts; -1 before the first. */
    private long storedKeys = -1;
    private TaskMetrics<E> metrics;
    private PredictionWriter<E> predictions;
    private String taskName;
    private ComputeBackend backend;
    private long idleMs;
    /** The event time of the last eviction pass, kept in the store with the states it evicted. */
    private long evictedThrough = Long.MIN_VALUE;
    /** The last event whose step the learner refused: its time, a year ahead say, must not evict keys. */
    private Record<byte[], byte[]> notStepped;
    /** The learner's tables of rows, for learners that keep some ({@link RowTables}); else null. */
    private RowTables rowTables;
    private RowWriter[] rowWriters;
    /** The model's replica topic when its replicas merge ({@code syncEvery}), else null. */
    private final String syncTopic;
    private Replicas replicas;
    /** The model's labels topic when its events may be labelled later ({@code labelWaitSeconds}), else null. */
    private final String labelTopic;
    private LateLabels lateLabels;

    ModelProcessor(final ModelDefinition definition, final ModelKind<E> kind, final String engineBackend,
                   final long metricsIntervalMs) {
        this.definition = definition;
        this.kind = kind;
        this.engineBackend = engineBackend;
        this.metricsIntervalMs = metricsIntervalMs;
        this.modelKey = definition.name().getBytes(StandardCharsets.UTF_8);
        this.decoder = kind.newDecoder();
        this.syncTopic = definition.syncTopic();
        this.labelTopic = definition.labelTopic();
    }

    @Override
    public void init(final ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.internalContext = (InternalProcessorContext<byte[], byte[]>) context;
        this.node = internalContext.currentNode();
        this.taskName = context.taskId().toString();
        this.store = context.getStateStore(ModelTopology.STORE);
        // Kafka Streams may init this processor again after a failed commit: nothing from before may stay
        storedKeys = -1;
        groupKeys.clear();
        final ModelMeta stored = store.meta();
        meta = stored != null ? stored : new ModelMeta(definition.name(), definition.type(), 1, 0, false,
                definition.initialParams());
        updates = meta.updates();
        metaChanged = stored == null;
        learner = createLearner(meta.params());
        parameters = learner.parameters();
        store.loadParameters(parameters);
        if (learner instanceof RowTables tables) {
            rowTables = tables;
            rowWriters = new RowWriter[tables.rowTables().size()];
            for (int t = 0; t < rowWriters.length; t++) {
                rowWriters[t] = new RowWriter(store, t, tables.rowTables().get(t).width());
            }
            loadRows();
        }
        gatherUpTo(learner.groupCapacity());
        store.beforeCommit(this::persist);
        final Outcomes<E> outcomes = kind.newOutcomes(meta.params(), TaskMetrics.WINDOW);
        predictions = new PredictionWriter<>(definition.name(), outcomes);
        metrics = new TaskMetrics<>(outcomes, context.currentSystemTimeMs());
        metrics.tuneDriftDetection(meta.params());
        if (learner.keyStateSize() > 0) {
            keyStates = new KeyStates(store, learner.keyStateSize(), cacheBytes(meta.params()),
                    KeyStates.EARLY_WRITE_BYTES);
            // the count kept with the last commit; a store older than that count is counted once, reading all
            final long keptCount = store.entityCount();
            metrics.keys = keptCount >= 0 ? keptCount : store.evictEntities(Long.MIN_VALUE).live();
            metrics.keyStateBytes = ModelStateStore.entityBytes(learner.keyStateSize());
            applyKeyStateParams();
            evictedThrough = store.evictedThrough();
        }
        if (labelTopic != null) {
            lateLabels = new LateLabels(context.getStateStore(LateLabels.STORE),
                    ModelDefinition.labelWaitSeconds(meta.params()));
            metrics.lateLabels = 0;
        }
        if (syncTopic != null) {
            replicas = new Replicas(parameters, learner.replicaSpans(), context.taskId().partition(),
                    definition.partitions(), ModelDefinition.syncEvery(meta.params()), updates);
            metrics.replicasSent = 0;
        }
        context.schedule(Duration.ofMillis(metricsIntervalMs), PunctuationType.WALL_CLOCK_TIME, this::reportMetrics);
    }

    @SuppressWarnings("unchecked")
    private void gatherUpTo(final int capacity) {
        group = new EventGroup<>(capacity, kind.learnerType()::newExample, learner.keyStateSize(),
                learner.outputSize());
        records = new Record[capacity];
        eventIds = new String[capacity];
        offsets = new long[capacity];
        partitions = new int[capacity];
        topics = new String[capacity];
        eventIndexes = new long[capacity];
        keys = new Bytes[capacity];
        keysSeen = new long[capacity];
    }

    private static long cacheBytes(final Map<String, Double> params) {
        return (long) (params.getOrDefault(KEY_CACHE_MB, 0.0) * (1 << 20));
    }

    /** The model's idle time and key cache size, as a task that starts now takes them from its meta. */
    private void applyKeyStateParams() {
        if (keyStates != null) {
            idleMs = (long) (meta.params().getOrDefault(IDLE_SECONDS, 0.0) * 1000);
            keyStates.resize(cacheBytes(meta.params()));
        }
    }

    /**
     * Evicts keys idle for {@code idleSeconds} of event time, in a pass each time an event's time
     * reaches the next tenth of that (at least a second): on the input's times alone, never on when
     * Kafka Streams runs a punctuation, so that replays and recoveries evict the same keys after the
     * same events. Each pass evicts the keys last seen {@code idleSeconds} before the boundary reached.
     * Only events that are stepped move this clock: dead-lettered ones, whether their decoding or their
     * step was refused, do not.
     */
    private void maybeEvict(final Record<byte[], byte[]> record) {
        if (idleMs <= 0) {
            return;
        }
        final long interval = Math.max(1000, idleMs / 10);
        final long boundary = Math.floorDiv(record.timestamp(), interval) * interval;
        if (boundary <= evictedThrough) {
            return;
        }
        stepGroup();
        if (record == notStepped) {
            return;
        }
        evictedThrough = boundary;
        store.putEvictedThrough(boundary);
        final ModelStateStore.EntityCount count = keyStates.evict(boundary - idleMs);
        metrics.keys = count.live();
        metrics.evictedKeys += count.evicted();
        if (count.evicted() > 0) {
            LOG.info("model {} task {}: evicted {} keys idle for {} s", definition.name(), taskName, count.evicted(),
                    idleMs / 1000);
        }
    }

    /** Opens a compute backend only for learners that use one: the model's choice, else the engine's. */
    private OnlineLearner<E> createLearner(final Map<String, Double> params) {
        final LearnerType<E> type = kind.learnerType();
        if (!type.usesComputeBackend(params)) {
            return type.create(params);
        }
        final String choice = definition.backend() != null ? definition.backend() : engineBackend;
        final Backends.Selection selection = Backends.select(choice);
        backend = selection.backend();
        LOG.info("model {} task {}: {}", definition.name(), taskName, selection.reason());
        return type.create(params, backend);
    }

    @Override
    public void close() {
        if (backend != null) {
            backend.close();
            backend = null;
        }
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        final RecordMetadata source = context.recordMetadata().orElseThrow();
        if (source.topic().equals(definition.controlTopic())) {
            stepGroup();
            applyControl(record.value());
            return;
        }
        if (source.topic().equals(syncTopic)) {
            stepGroup();
            mergeReplica(record);
            return;
        }
        final Record<byte[], byte[]> event = source.topic().equals(labelTopic) ? labelled(record, source) : record;
        if (event == null) {
            return;
        }
        // a dead-lettered record moves nothing, the eviction clock included (one stamped a year ahead
        // would otherwise evict every key)
        final boolean stepped = processEvent(event, source);
        if (stepped && keyStates != null) {
            maybeEvict(event);
        }
        if (stepped && lateLabels != null) {
            metrics.labelWaitsEnded += lateLabels.expire(event.timestamp());
        }
    }

    /**
     * Sends this replica's weights when the update count has reached the next multiple of {@code syncEvery}: right
     * after the step that reached it, whatever called that step (an event, a control or replica message, the
     * commit), so that the weights go in the same transaction as the updates that made them due, and a task that
     * recovers from the commit sends at the same counts as the one that failed.
     */
    private void maybeSync(final long timestamp) {
        if (replicas != null && replicas.due(updates)) {
            final byte[] key = replicas.key();
            metrics.replicasSent += replicas.send(meta.generation(), updates, value ->
                    context.forward(new Record<>(key, value, timestamp), ModelTopology.REPLICAS_SINK));
        }
    }

    /**
     * The waiting event that a label record names, with its label and the event's key, at the label's time;
     * null when there is none (the label is dead-lettered).
     */
    private Record<byte[], byte[]> labelled(final Record<byte[], byte[]> label, final RecordMetadata source) {
        final LateLabels.Joined joined = lateLabels.take(label.value());
        if (joined.problem() != null) {
            metrics.seen++;
            deadLetter(label, source.topic(), source.partition(), source.offset(), joined.problem());
            return null;
        }
        metrics.lateLabels++;
        return new Record<>(joined.key(), joined.event(), label.timestamp(), label.headers());
    }

    /** Merges a replica's weights unless the model is paused (it learns nothing then) or the message is not one. */
    private void mergeReplica(final Record<byte[], byte[]> record) {
        if (meta.paused()) {
            return;
        }
        learner.beforeReplicaMerge();
        final String notMerged = replicas.merge(record.key(), record.value(), meta.generation());
        if (notMerged == null) {
            metrics.replicasMerged++;
        } else {
            LOG.debug("model {} task {}: a replica message not merged: {}", definition.name(), taskName, notMerged);
        }
    }

    /** Gathers the event for the next step; false when it was dead-lettered instead. */
    private boolean processEvent(final Record<byte[], byte[]> record, final RecordMetadata source) {
        metrics.seen++;
        final Bytes key = keyStates != null && record.key() != null ? Bytes.wrap(record.key()) : null;
        if (key != null && groupKeys.contains(key)) {
            // a key's events are stepped in order, one per group
            stepGroup();
        }
        final E example = group.next();
        String problem = decoder.decode(record.value(), example);
        if (problem == null) {
            problem = learner.validate(example);
        }
        if (problem == null) {
            problem = kind.keyProblem(record.key(), example);
        }
        if (problem != null) {
            deadLetter(record, source.topic(), source.partition(), source.offset(), problem);
            return false;
        }
        final boolean labelled = kind.labelled(example);
        if (lateLabels != null && !labelled) {
            lateLabels.hold(decoder.eventId(), record.key(), record.value(), record.timestamp());
        }
        final int slot = group.add(labelled);
        records[slot] = record;
        eventIds[slot] = decoder.eventId();
        offsets[slot] = source.offset();
        partitions[slot] = source.partition();
        topics[slot] = source.topic();
        eventIndexes[slot] = metrics.seen;
        keys[slot] = key;
        if (key != null) {
            groupKeys.add(key);
        }
        if (group.isFull()) {
            stepGroup();
        }
        return true;
    }

    /**
     * Steps the gathered events in one call to the learner, then stores their keys' states and emits
     * their predictions (and dead letters for refused updates) in event order.
     */
    private void stepGroup() {
        final int size = group.size();
        if (size == 0) {
            return;
        }
        for (int slot = 0; slot < size; slot++) {
            if (keys[slot] != null) {
                keysSeen[slot] = keyStates.readSeen(keys[slot], group.keyState(slot));
            } else {
                // a keyless event is a sequence of one step
                Arrays.fill(group.keyState(slot), 0f);
            }
        }
        final boolean learning = !meta.paused();
        final long lastTimestamp = records[size - 1].timestamp();
        learner.step(group, learning);
        for (int slot = 0; slot < size; slot++) {
            final Record<byte[], byte[]> record = records[slot];
            records[slot] = null;
            if (group.notStepped(slot) != null) {
                // no prediction, and the key's state and last-seen time stay as they were
                deadLetter(record, topics[slot], partitions[slot], offsets[slot],
                        "not stepped: " + group.notStepped(slot));
                notStepped = record;
                keys[slot] = null;
                continue;
            }
            final E example = group.example(slot);
            final float[] output = group.output(slot);
            final long updatesBefore = updates;
            if (group.labelled(slot)) {
                if (learning && group.notLearned(slot) == null) {
                    updates++;
                    metrics.learned++;
                } else if (learning) {
                    // the prediction still goes out; the event is also recorded as not learned, and so are
                    // the earlier events its refusal took back (a dropped micro-batch)
                    updates -= group.earlierUnlearned(slot);
                    // (counted since the task started, so it stops at zero when they were learned before)
                    metrics.learned = Math.max(0, metrics.learned - group.earlierUnlearned(slot));
                    deadLetter(record, topics[slot], partitions[slot], offsets[slot],
                            "not learned: " + group.notLearned(slot));
                }
                metrics.recordPrediction(example, output, group.loss(slot), eventIndexes[slot],
                        context.currentSystemTimeMs());
            }
            if (keys[slot] != null) {
                if (keysSeen[slot] == ModelStateStore.NO_ENTITY) {
                    metrics.keys++;
                }
                // the latest time the key was seen: a late event does not make it look idle
                keyStates.write(keys[slot], group.keyState(slot), Math.max(keysSeen[slot], record.timestamp()));
            }
            final byte[] prediction = predictions.write(meta.generation(), updatesBefore, eventIds[slot], example,
                    output, group.loss(slot));
            if (recordBytes(record, prediction) <= RECORD_LIMIT) {
                context.forward(record.withValue(prediction), ModelTopology.PREDICTIONS_SINK);
            } else {
                deadLetter(record, topics[slot], partitions[slot], offsets[slot], "prediction not sent: its "
                        + prediction.length + " bytes would pass the " + RECORD_LIMIT + " a record may take");
            }
            metrics.recordLatency(context.currentSystemTimeMs() - record.timestamp());
            keys[slot] = null;
        }
        group.clear();
        groupKeys.clear();
        if (learning) {
            maybeSync(lastTimestamp);
        }
    }

    private void applyControl(final byte[] value) {
        final ControlMessage control;
        try {
            control = Json.read(value, ControlMessage.class);
        } catch (final RuntimeException e) {
            LOG.error("model {} task {}: ignoring unreadable control message", definition.name(), taskName, e);
            return;
        }
        if (control.problem() != null) {
            LOG.error("model {} task {}: ignoring a control message that is {}", definition.name(), taskName,
                    control.problem());
            return;
        }
        switch (control.op()) {
            case ControlMessage.UPDATE:
                final Map<String, Double> params;
                try {
                    // the admin handler sent values it checked; anything else is not applied
                    params = HyperParameters.update(EngineParameters.of(kind.learnerType()), meta.params(),
                            control.params());
                } catch (final InvalidConfigException e) {
                    LOG.error("model {} task {}: ignoring an update with parameters the model refuses: {}",
                            definition.name(), taskName, e.getMessage());
                    return;
                }
                learner.reconfigure(params);
                meta = meta.withParams(params).withGeneration(control.generation());
                // update, rollback and reset change the model: the loss level that follows is not drift
                metrics.tuneDriftDetection(meta.params());
                applyKeyStateParams();
                break;
            case ControlMessage.PAUSE:
                meta = meta.withPaused(true);
                break;
            case ControlMessage.RESUME:
                meta = meta.withPaused(false);
                break;
            case ControlMessage.SNAPSHOT:
                store.saveSnapshot(control.snapshot(), meta.withUpdates(updates), parameters);
                if (rowTables != null) {
                    writeRows();
                    for (int t = 0; t < rowWriters.length; t++) {
                        store.saveSnapshotRows(control.snapshot(), t);
                    }
                }
                break;
            case ControlMessage.ROLLBACK:
                final ModelMeta saved = store.restoreSnapshot(control.snapshot(), parameters);
                if (saved == null) {
                    LOG.error("model {} task {}: snapshot '{}' missing; model left unchanged",
                            definition.name(), taskName, control.snapshot());
                    return;
                }
                learner.reconfigure(saved.params());
                if (rowTables != null) {
                    for (int t = 0; t < rowWriters.length; t++) {
                        store.restoreSnapshotRows(control.snapshot(), t);
                    }
                    loadRows();
                }
                updates = saved.updates();
                meta = meta.withParams(saved.params()).withGeneration(control.generation());
                // the snapshot's parameters include the detector's and the key states' (idle time, cache)
                metrics.tuneDriftDetection(meta.params());
                applyKeyStateParams();
                break;
            case ControlMessage.RESET:
                parameters.clear();
                if (rowTables != null) {
                    rowTables.clearRows();
                    writeRows();
                    for (int t = 0; t < rowWriters.length; t++) {
                        store.deleteRows(t);
                    }
                }
                if (keyStates != null) {
                    keyStates.evict(Long.MAX_VALUE);
                    metrics.keys = 0;
                }
                updates = 0;
                meta = meta.withGeneration(control.generation());
                metrics.tuneDriftDetection(meta.params());
                break;
            default:
                LOG.error("model {} task {}: ignoring unknown control op '{}'", definition.name(), taskName,
                        control.op());
                return;
        }
        metaChanged = true;
        if (replicas != null) {
            replicas.restartAt(updates);
        }
        LOG.info("model {} task {}: applied {} (generation {})", definition.name(), taskName, control.op(),
                meta.generation());
    }

    /**
     * Runs before every commit of this task, outside processing: steps the events gathered so far
     * (forwarding as this processor's node, as Streams' own caches do when they flush), then writes
     * what changed, so that the commit covers every event whose offset it commits.
     */
    private void persist() {
        final ProcessorNode<?, ?, ?, ?> current = internalContext.currentNode();
        internalContext.setCurrentNode(node);
        try {
            stepGroup();
        } finally {
            internalContext.setCurrentNode(current);
        }
        if (keyStates != null) {
            keyStates.flush();
            if (metrics.keys != storedKeys) {
                store.putEntityCount(metrics.keys);
                storedKeys = metrics.keys;
            }
        }
        if (rowTables != null) {
            writeRows();
        }
        store.writeChangedParameters(parameters);
        if (metaChanged || updates != meta.updates()) {
            meta = meta.withUpdates(updates);
            store.putMeta(meta);
            metaChanged = false;
        }
    }

    /** (Re)fills the learner's tables from the store: at start-up and after a rollback. */
    private void loadRows() {
        long rows = 0;
        for (int t = 0; t < rowWriters.length; t++) {
            final EmbeddingTable table = rowTables.rowTables().get(t);
            table.clear();
            rows += store.loadRows(t, table.width(), (id, slot, seen, values) -> table.restore(id, slot, seen, values,
                    0));
        }
        LOG.info("model {} task {}: {} rows loaded", definition.name(), taskName, rows);
    }

    /** Writes the rows changed since the last call, and deletes the evicted ones. */
    private void writeRows() {
        for (int t = 0; t < rowWriters.length; t++) {
            rowTables.rowTables().get(t).drainChanges(rowWriters[t]);
        }
    }

    /** Writes one table's changes to the store. */
    private static final class RowWriter implements EmbeddingTable.ChangeSink {
        private final ModelStateStore store;
        private final int table;
        private final int width;

        RowWriter(final ModelStateStore store, final int table, final int width) {
            this.store = store;
            this.table = table;
            this.width = width;
        }

        @Override
        public void row(final String id, final int slot, final long seen, final float[] values, final int at) {
            store.writeRow(table, id, slot, seen, values, at, width);
        }

        @Override
        public void evicted(final String id) {
            store.deleteRow(table, id);
        }
    }

    private void deadLetter(final Record<byte[], byte[]> record, final String topic, final int partition,
                            final long offset, final String reason) {
        metrics.rejected++;
        final ObjectNode json = Json.MAPPER.createObjectNode()
                .put("model", definition.name())
                .put("reason", reason)
                .put("topic", topic)
                .put("partition", partition)
                .put("offset", offset);
        json.put("original", record.value());
        byte[] letter = Json.bytes(json);
        if (recordBytes(record, letter) > RECORD_LIMIT) {
            // the original stays readable at its topic, partition and offset for as long as the input keeps it
            final String shortReason = reason.length() > SHORT_REASON ? reason.substring(0, SHORT_REASON) + "..."
                    : reason;
            json.put("reason", shortReason + "; the original is left out: with it this record would pass the "
                    + RECORD_LIMIT + " bytes a record may take");
            json.remove("original");
            json.put("originalBytes", record.value() == null ? 0 : record.value().length);
            letter = Json.bytes(json);
        }
        context.forward(record.withValue(letter), ModelTopology.DLQ_SINK);
    }

    /** Bytes of the record's key and headers with {@code value}, about what the producer counts against its limit. */
    private static long recordBytes(final Record<byte[], byte[]> record, final byte[] value) {
        long bytes = (long) value.length + (record.key() == null ? 0 : record.key().length);
        for (final Header header : record.headers()) {
            bytes += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return bytes;
    }

    private void reportMetrics(final long now) {
        if (rowTables != null) {
            metrics.rows = 0;
            metrics.rowsCreated = 0;
            metrics.rowsEvicted = 0;
            for (final EmbeddingTable table : rowTables.rowTables()) {
                metrics.rows += table.liveRows();
                metrics.rowsCreated += table.created();
                metrics.rowsEvicted += table.evicted();
            }
        }
        final byte[] report = metrics.report(definition.name(), definition.incarnation(), taskName, meta.generation(),
                updates, meta.paused(), now);
        context.forward(new Record<>(modelKey, report, now), ModelTopology.METRICS_SINK);
    }
}
