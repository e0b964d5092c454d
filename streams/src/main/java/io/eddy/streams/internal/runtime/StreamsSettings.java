package io.eddy.streams.internal.runtime;

import io.eddy.state.api.ModelStoreRocksDbOptions;
import io.eddy.streams.api.EngineConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.StreamsConfig;

/** Kafka Streams and client settings shared by every application the engine runs. */
final class StreamsSettings {
    private StreamsSettings() {
    }

    /** Plain client properties: the user's pass-through settings plus the bootstrap servers. */
    static Map<String, Object> client(final EngineConfig config) {
        final Map<String, Object> props = new HashMap<>(config.clientProperties());
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return props;
    }

    static Properties streams(final EngineConfig config, final String applicationId) {
        final Properties props = new Properties();
        // a dead instance's partitions move after this long; short, so a crash costs seconds
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000);
        // per-key states of recurrent models are kilobytes each: batches of the default 16 KiB would
        // send about one changelog record per request
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 512 * 1024);
        // events are small and each costs the model tens of microseconds: fetch and poll them in larger
        // chunks, so the task waits on fewer fetch round trips
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), 8 << 20);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 5000);
        props.putAll(client(config));
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMs());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.replicationFactor());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, ModelStoreRocksDbOptions.class);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // events and control messages need no timestamp alignment: never hold events back waiting
        // for the (usually idle) control partition
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        return props;
    }
}
