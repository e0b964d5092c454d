package io.eddy.tests.engine;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Produces simple seeded FTRL events: two ads, one that is clicked 90% of the time and one 10%. */
public final class Events implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final Random random;

    public Events(final String bootstrapServers, final long seed) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer());
        random = new Random(seed);
    }

    /** A labelled event {@code id}; its ad decides the click probability. */
    public String labelled(final String id) {
        final boolean good = random.nextBoolean();
        final int label = random.nextDouble() < (good ? 0.9 : 0.1) ? 1 : 0;
        return "{\"id\":\"" + id + "\",\"features\":{\"ad\":\"" + (good ? "good" : "bad") + "\",\"price\":"
                + (1 + random.nextInt(5)) + "},\"label\":" + label + "}";
    }

    /** The same unlabelled probe each time, to compare the model's answers. */
    public static String probe(final String id) {
        return "{\"id\":\"" + id + "\",\"features\":{\"ad\":\"good\",\"price\":3}}";
    }

    public void send(final String topic, final String key, final String json) {
        send(topic, key, json.getBytes(StandardCharsets.UTF_8));
    }

    public void send(final String topic, final String key, final byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value));
    }

    /** Sends {@code count} labelled events with ids {@code prefix0..}, keys over 8 users. */
    public void sendLabelled(final String topic, final String prefix, final int count) {
        for (int i = 0; i < count; i++) {
            send(topic, "u" + (i % 8), labelled(prefix + i));
        }
        producer.flush();
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
