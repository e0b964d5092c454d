package io.eddy.ops.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a {@link ModelBoard} from {@code eddy.models} (from its start) and {@code eddy.metrics} (from
 * {@link #HISTORY} ago), on a thread of its own with its own consumer: the dashboard reads what the
 * engine already publishes, so serving it costs the event path nothing.
 */
final class TopicFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    /** How far back the plots start when the engine starts. */
    static final Duration HISTORY = Duration.ofHours(1);

    /** The pause before another try after a failure. */
    static final Duration RETRY_PAUSE = Duration.ofSeconds(5);

    private final KafkaConsumer<String, byte[]> consumer;
    private final ModelBoard board;
    private final Duration retryPause;
    private final AtomicInteger failures = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closed;

    TopicFollower(final Map<String, Object> clientProperties, final ModelBoard board) {
        this(clientProperties, board, RETRY_PAUSE);
    }

    TopicFollower(final Map<String, Object> clientProperties, final ModelBoard board, final Duration retryPause) {
        final Map<String, Object> props = new HashMap<>(clientProperties);
        // the engine writes both topics in transactions: read only what was committed
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // looking up a topic must not create it with a broker's defaults: the engine makes its own topics
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.board = board;
        this.retryPause = retryPause;
        this.thread = new Thread(this::follow, "eddy-dashboard-follower");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Follows until closed. A failure (the cluster unreachable at start, a topic not visible yet, a fetch
     * refused) is logged and the follower tries again after {@link #RETRY_PAUSE}, from where it was: the
     * dashboard's figures pause instead of freezing until the engine restarts.
     */
    private void follow() {
        boolean assigned = false;
        while (!closed) {
            try {
                if (!assigned) {
                    assign();
                    assigned = true;
                }
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    apply(record);
                }
            } catch (final WakeupException e) {
                // closing
            } catch (final RuntimeException e) {
                failures.incrementAndGet();
                LOG.warn("the dashboard could not follow {} and {} ({}); trying again in {} ms", Topics.MODELS,
                        Topics.METRICS, e.toString(), retryPause.toMillis());
                pause();
            }
        }
    }

    /** Reads the registry from its start and the metrics from {@link #HISTORY} ago. */
    private void assign() {
        final List<TopicPartition> registry = partitions(Topics.MODELS);
        final List<TopicPartition> metrics = partitions(Topics.METRICS);
        final List<TopicPartition> all = new ArrayList<>(registry);
        all.addAll(metrics);
        consumer.assign(all);
        consumer.seekToBeginning(registry);
        seekToHistoryStart(metrics);
    }

    private void pause() {
        synchronized (this) {
            final long until = System.nanoTime() + retryPause.toNanos();
            long left = retryPause.toMillis();
            while (!closed && left > 0) {
                try {
                    wait(left);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                left = (until - System.nanoTime()) / 1_000_000;
            }
        }
    }

    /** Failures so far, each followed by another try. */
    int failures() {
        return failures.get();
    }

    private List<TopicPartition> partitions(final String topic) {
        final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " not found");
        }
        return partitions;
    }

    private void seekToHistoryStart(final List<TopicPartition> partitions) {
        final long since = System.currentTimeMillis() - HISTORY.toMillis();
        final Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(partition -> query.put(partition, since));
        final Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        for (final TopicPartition partition : partitions) {
            final OffsetAndTimestamp offset = found.get(partition);
            if (offset == null) {
                consumer.seekToEnd(List.of(partition));
            } else {
                consumer.seek(partition, offset.offset());
            }
        }
    }

    private void apply(final ConsumerRecord<String, byte[]> record) {
        try {
            final ObjectNode value = record.value() == null ? null : object(record.value());
            if (record.topic().equals(Topics.MODELS)) {
                if (record.value() == null || value != null) {
                    board.definition(record.key(), value);
                }
            } else if (value != null) {
                board.report(value);
            }
        } catch (final RuntimeException e) {
            LOG.warn("skipped an unreadable record at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    private static ObjectNode object(final byte[] value) {
        final JsonNode node = Json.read(value, JsonNode.class);
        return node instanceof ObjectNode object ? object : null;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            notifyAll();
        }
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            consumer.close();
        }
    }
}
