package io.eddy.state.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** Each table's rows stay its own through reads, snapshots, rollbacks and resets (real store, test driver). */
class ModelStateStoreTablesTest {
    private static final String STORE = "model-state";

    private static TopologyTestDriver driver() {
        final Topology topology = new Topology();
        topology.addSource("in", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), "in");
        topology.addProcessor("p", () -> new Processor<byte[], byte[], Void, Void>() {
            @Override
            public void process(final Record<byte[], byte[]> record) {
            }
        }, "in");
        topology.addStateStore(ModelStateStore.builder(STORE, Map.of()), "p");
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "model-state-tables");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(topology, props);
    }

    private static List<String> ids(final ModelStateStore store, final int table, final int width) {
        final List<String> ids = new ArrayList<>();
        store.loadRows(table, width, (id, slot, seen, values) -> ids.add(id + "@" + slot));
        return ids;
    }

    /**
     * Kafka's {@code range(from, to)} includes {@code to}, and {@code rowsTo(t)} is exactly the key of
     * table {@code t + 1}'s row with the empty id: table 0 reads, deletes and restores table 1's row.
     */
    @Test
    void shouldKeepATablesRowsApartFromTheNextTablesEmptyIdRow() {
        try (TopologyTestDriver driver = driver()) {
            final ModelStateStore store = (ModelStateStore) driver.getStateStore(STORE);
            store.writeRow(0, "a", 0, 1L, new float[] {1f, 2f}, 0, 2);
            store.writeRow(1, "", 7, 1L, new float[] {3f, 4f}, 0, 2);

            assertEquals(List.of("a@0"), ids(store, 0, 2), "table 0 holds only its own row");

            store.saveSnapshotRows("s", 0);
            store.saveSnapshotRows("s", 1);
            store.restoreSnapshotRows("s", 0);
            assertEquals(List.of("a@0"), ids(store, 0, 2), "a rollback of table 0 restores only its rows");

            store.deleteRows(0);
            assertEquals(List.of("@7"), ids(store, 1, 2), "a reset of table 0 leaves table 1's rows");
        }
    }
}
