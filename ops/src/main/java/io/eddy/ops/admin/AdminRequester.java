package io.eddy.ops.admin;

import io.eddy.errors.EddyException;
import io.eddy.ops.kafka.KafkaReachability;
import io.eddy.ops.kafka.KafkaUnreachableException;
import io.eddy.streams.api.AdminTrust;
import io.eddy.streams.api.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends one admin command to {@code eddy.admin} (or another admin topic) and waits for its reply on
 * {@code eddy.admin.replies}: what {@code eddy admin} does, usable from any Java program.
 * Not thread-safe; one request at a time.
 */
public final class AdminRequester implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, String> replies;
    private final List<TopicPartition> replyPartitions;
    private String adminTopic = Topics.ADMIN;
    private String principal;

    /** @param clientProperties Kafka client properties, including {@code bootstrap.servers} */
    public AdminRequester(final Map<String, Object> clientProperties) {
        this(clientProperties, Duration.ofSeconds(30));
    }

    /**
     * @param clientProperties Kafka client properties, including {@code bootstrap.servers}
     * @param connectTimeout how long to wait for Kafka to answer
     * @throws KafkaUnreachableException when Kafka does not answer within {@code connectTimeout}
     * @throws NoEngineException when the reply topic does not exist: no engine ever ran on the cluster
     */
    public AdminRequester(final Map<String, Object> clientProperties, final Duration connectTimeout) {
        KafkaReachability.require(clientProperties, connectTimeout);
        final Map<String, Object> consumerProps = new HashMap<>(clientProperties);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // looking up a topic must not create it with a broker's defaults: the engine makes its own topics
        consumerProps.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        final Map<String, Object> producerProps = new HashMap<>(clientProperties);
        // a command to a topic that does not exist fails after this long, not after the client's 60 s
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, connectTimeout.toMillis());
        this.producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
        this.replies = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer());
        try {
            this.replyPartitions = replies.partitionsFor(Topics.ADMIN_REPLIES, connectTimeout).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        } catch (final org.apache.kafka.common.errors.TimeoutException e) {
            close();
            throw KafkaReachability.unreachable(clientProperties.get("bootstrap.servers"), connectTimeout, e);
        }
        if (replyPartitions.isEmpty()) {
            close();
            throw new NoEngineException("topic " + Topics.ADMIN_REPLIES + " does not exist: is an engine running?");
        }
        replies.assign(replyPartitions);
    }

    /**
     * Sends later commands to {@code adminTopic} (one the engine trusts), naming {@code principal} in
     * the {@link AdminTrust#PRINCIPAL_HEADER} header; a {@code null} principal sends no header.
     */
    public AdminRequester sendingTo(final String adminTopic, final String principal) {
        this.adminTopic = adminTopic;
        this.principal = principal;
        return this;
    }

    /**
     * Sends {@code json} keyed by {@code requestId} and returns the reply's JSON.
     *
     * @throws AdminTimeoutException when no reply arrives within {@code timeout}
     */
    public String request(final String json, final String requestId, final Duration timeout) {
        replies.seekToEnd(replyPartitions);
        replyPartitions.forEach(replies::position); // fix the start before sending, so the reply cannot be missed
        try {
            final ProducerRecord<String, byte[]> command =
                    new ProducerRecord<>(adminTopic, requestId, json.getBytes(StandardCharsets.UTF_8));
            if (principal != null) {
                command.headers().add(AdminTrust.PRINCIPAL_HEADER, principal.getBytes(StandardCharsets.UTF_8));
            }
            producer.send(command).get();
        } catch (final ExecutionException e) {
            throw new EddyException("could not send the command to " + adminTopic + ": " + e.getCause(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EddyException("interrupted while sending the command", e);
        }
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (final ConsumerRecord<String, String> record : replies.poll(Duration.ofMillis(100))) {
                if (requestId.equals(record.key())) {
                    return record.value();
                }
            }
        }
        throw new AdminTimeoutException("no reply to request " + requestId + " within " + timeout.toSeconds()
                + " s: is an engine running against this cluster?");
    }

    @Override
    public void close() {
        producer.close();
        replies.close();
    }
}
