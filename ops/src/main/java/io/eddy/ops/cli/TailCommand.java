package io.eddy.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.errors.EddyException;
import io.eddy.ops.kafka.KafkaReachability;
import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eddy tail --model NAME}: prints a model's predictions as they arrive, reading its output topic
 * as a downstream consumer would ({@code read_committed}, without a consumer group, so that it commits
 * nothing and disturbs no one). The output topic is the one the model's definition on
 * {@code eddy.models} names, so the model need not use the default topic.
 */
@Command(name = "tail", description = "Print a model's predictions as they arrive on its output topic, one per "
        + "line: as text, or with --json as the prediction's JSON.")
final class TailCommand implements Callable<Integer> {
    private static final Duration POLL = Duration.ofMillis(200);

    @Mixin
    ClientOptions client;

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "The model to follow.")
    String model;

    @Option(names = "--from-beginning",
            description = "Start with the oldest prediction the topic holds, not with the next one.")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N predictions.")
    Long max;

    @Option(names = "--json", description = "Print each prediction's JSON as the engine wrote it, one per line.")
    boolean json;

    @Mixin
    TimeoutOption timeoutOption;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS",
            description = "Stop when no prediction arrived for this long (default: wait until Ctrl-C). With --max, "
                    + "stopping this way before N predictions exits with 4.")
    Double idleSeconds;

    private volatile boolean stopped;

    @Override
    public Integer call() {
        if (max != null && max < 1) {
            throw new IllegalArgumentException("--max must be at least 1, got " + max);
        }
        final Duration timeout = timeoutOption.duration();
        final Duration idle = idleSeconds == null ? null : ClientOptions.seconds(idleSeconds, "--idle-timeout");
        final Map<String, Object> props = new HashMap<>(client.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // looking up a topic must not create it with a broker's defaults: the engine makes its own topics
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        KafkaReachability.require(props, timeout);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            final String topic = outputTopic(consumer, timeout);
            final List<TopicPartition> partitions = partitions(consumer, topic, timeout);
            if (partitions.isEmpty()) {
                throw new EddyException("model '" + model + "' writes its predictions to topic " + topic
                        + ", which does not exist");
            }
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            partitions.forEach(consumer::position); // fix the start now, so nothing written from here on is missed
            if (!json) {
                System.err.println("Predictions of " + model + " from " + topic + (fromBeginning ? ", oldest first"
                        : ", new ones") + (max != null ? ", " + max + " at most" : "") + ". Ctrl-C stops.");
            }
            return follow(consumer, idle);
        }
    }

    private int follow(final KafkaConsumer<String, byte[]> consumer, final Duration idle) {
        final Shutdown.Guard guard = Shutdown.guard("eddy-tail-stop", Duration.ofSeconds(5), () -> {
            stopped = true;
            consumer.wakeup();
        });
        long printed = 0;
        long lastArrival = System.nanoTime();
        try {
            while (!stopped) {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (record.value() == null) {
                        continue; // a tombstone, or another producer's empty record on a shared topic: no prediction
                    }
                    System.out.println(json ? new String(record.value(), StandardCharsets.UTF_8)
                            : PredictionText.line(record.key(), record.value()));
                    lastArrival = System.nanoTime();
                    if (max != null && ++printed >= max) {
                        System.out.flush();
                        return ExitCode.OK;
                    }
                }
                System.out.flush();
                if (idle != null && System.nanoTime() - lastArrival > idle.toNanos()) {
                    if (max != null) {
                        System.err.println("eddy: " + printed + " of " + max + " predictions within --idle-timeout "
                                + idleSeconds + " s: is an engine running the model, and are events arriving?");
                        return ExitCode.NO_ENGINE;
                    }
                    return ExitCode.OK;
                }
            }
        } catch (final WakeupException e) {
            // Ctrl-C: a normal end
        } finally {
            guard.close();
        }
        return ExitCode.OK;
    }

    /**
     * The model's output topic from its latest definition on {@code eddy.models}.
     *
     * @throws EddyException when there is no such model
     */
    private String outputTopic(final KafkaConsumer<String, byte[]> consumer, final Duration timeout) {
        final List<TopicPartition> partitions = partitions(consumer, Topics.MODELS, timeout);
        if (partitions.isEmpty()) {
            throw new EddyException("no model named '" + model + "': no engine has run against this cluster (topic "
                    + Topics.MODELS + " does not exist)");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        final Map<String, byte[]> latest = new TreeMap<>();
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!readUpTo(consumer, ends)) {
            if (System.nanoTime() > deadline) {
                throw new EddyException("could not read " + Topics.MODELS + " within " + timeoutOption.seconds
                        + " s (--timeout)");
            }
            for (final ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                if (record.value() == null) {
                    latest.remove(record.key()); // a deleted model
                } else {
                    latest.put(record.key(), record.value());
                }
            }
        }
        final byte[] definition = latest.get(model);
        if (definition == null) {
            throw new EddyException("no model named '" + model + "'" + (latest.isEmpty() ? "; there are none"
                    : "; models: " + String.join(", ", latest.keySet())));
        }
        try {
            return Json.MAPPER.readTree(definition).path("outputTopic").asText(Topics.output(model));
        } catch (final IOException e) {
            throw new EddyException("unreadable definition of model '" + model + "' on " + Topics.MODELS + ": "
                    + e.getMessage(), e);
        }
    }

    private static boolean readUpTo(final KafkaConsumer<String, byte[]> consumer,
                                    final Map<TopicPartition, Long> ends) {
        for (final Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static List<TopicPartition> partitions(final KafkaConsumer<String, byte[]> consumer, final String topic,
                                                   final Duration timeout) {
        final List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        return infos == null ? List.of() : infos.stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    /** A prediction as one line of text for people. */
    static final class PredictionText {
        private static final int MAX_VALUES = 8;

        private PredictionText() {
        }

        /**
         * {@code e17  key=u7  probability=0.2310  label=1  loss=1.465  (generation 1, 1,234 updates)}: the
         * event id, the key, the prediction's own fields, then which model state answered.
         */
        static String line(final String key, final byte[] value) {
            final JsonNode prediction;
            try {
                prediction = Json.MAPPER.readTree(value);
            } catch (final IOException e) {
                return (key == null ? "" : "key=" + key + "  ") + new String(value, StandardCharsets.UTF_8);
            }
            final StringBuilder line = new StringBuilder();
            line.append(prediction.path("id").asText("?"));
            if (key != null) {
                line.append("  key=").append(key);
            }
            prediction.fields().forEachRemaining(field -> {
                switch (field.getKey()) {
                    case "model", "id", "generation", "updates" -> { }
                    default -> line.append("  ").append(field.getKey()).append('=').append(text(field.getValue()));
                }
            });
            if (prediction.has("generation")) {
                line.append(String.format(java.util.Locale.ROOT, "  (generation %d, %,d updates)",
                        prediction.path("generation").asLong(), prediction.path("updates").asLong()));
            }
            return line.toString();
        }

        private static String text(final JsonNode value) {
            if (value.isFloatingPointNumber()) {
                return String.format(java.util.Locale.ROOT, "%.4g", value.doubleValue());
            }
            if (value.isArray()) {
                final StringBuilder text = new StringBuilder("[");
                for (int i = 0; i < value.size() && i < MAX_VALUES; i++) {
                    text.append(i == 0 ? "" : " ").append(text(value.get(i)));
                }
                if (value.size() > MAX_VALUES) {
                    text.append(" … ").append(value.size()).append(" values");
                }
                return text.append(']').toString();
            }
            if (value.isObject()) {
                // a ranked item, {"item":"i3","score":2.1}: its values, i3:2.100
                final StringBuilder text = new StringBuilder();
                value.elements().forEachRemaining(element -> text.append(text.length() == 0 ? "" : ":")
                        .append(text(element)));
                return text.toString();
            }
            return value.asText();
        }
    }
}
