package io.eddy.ops.bench;

import io.eddy.ops.admin.AdminRequester;
import io.eddy.ops.progress.ProgressBars;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the end-to-end model benchmarks share: one-partition topics, a producer that batches for
 * throughput, and one model's rate through a fresh engine over events produced beforehand.
 */
final class EndToEnd {
    private EndToEnd() {
    }

    /** Creates one-partition topics of these names. */
    static void createTopics(final String bootstrap, final String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(Arrays.stream(topics).map(name -> new NewTopic(name, 1, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    /** A producer of string keys and byte values that batches for throughput. */
    static KafkaProducer<String, byte[]> producer(final String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Starts an engine with {@code config}, creates a model with the admin command {@code create}, and
     * returns the events per second at which its {@code events} predictions reach {@code output}, counted
     * on a bar of {@code bars}.
     */
    static double throughput(final EngineConfig config, final String create, final String output, final int events,
                             final Duration wait, final ProgressBars bars) throws Exception {
        try (Engine engine = Engine.start(config);
             AdminRequester requester = new AdminRequester(Map.of("bootstrap.servers", config.bootstrapServers()));
             TopicCounter counter = new TopicCounter(config.bootstrapServers(), output);
             ProgressBars.Bar bar = bars.start("predictions", events, "events")) {
            requester.request(create, "bench-create", Duration.ofSeconds(60));
            return counter.throughput(events, wait, bar);
        }
    }
}
