package io.eddy.streams.internal.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.streams.api.AdminTrust;
import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.json.Json;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * A command whose control message cannot be sent must not leave the registry changed. Kafka Streams'
 * record collector rethrows a {@link TimeoutException} from fetching the control topic's partitions
 * (to retry under task.timeout.ms); the processor must not commit the registry change without it.
 */
class AdminProcessorTransactionTest {
    private final Map<String, Integer> cluster = new HashMap<>();
    private boolean controlFails;

    @Test
    void shouldNotCommitARegistryChangeWhoseControlMessageCouldNotBeSent() {
        final MockProcessorContext<String, byte[]> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(1_700_000_000_000L);
        final KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(AdminTopology.REGISTRY_STORE), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        final AdminProcessor processor = new AdminProcessor(AdminTestDriver.topics(cluster), (short) 1,
                AdminTrust.standard());
        processor.init(failingControl(context));

        command(processor, context, 0, "r1", "{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\"}");
        assertEquals("active", status(store));
        context.resetForwards();

        controlFails = true;
        // propagated, Kafka Streams aborts the transaction and the store's change with it, and retries the
        // command; answered with an error instead, the registry said "paused" to tasks that never heard of it
        assertThrows(TimeoutException.class, () -> command(processor, context, 1, "r2",
                "{\"op\":\"pause\",\"model\":\"m\"}"));
        assertTrue(context.forwarded(AdminTopology.REPLIES_SINK).isEmpty(), "no reply to a command not applied");
    }

    /** The context, but a forward to the control sink throws as Kafka's record collector does on a timeout. */
    @SuppressWarnings("unchecked")
    private ProcessorContext<String, byte[]> failingControl(final MockProcessorContext<String, byte[]> context) {
        final InvocationHandler handler = (proxy, method, args) -> {
            if (controlFails && method.getName().equals("forward") && args.length == 2
                    && AdminTopology.CONTROL_SINK.equals(args[1])) {
                // as RecordCollectorImpl rethrows it when the topic's metadata does not come in time
                throw new TimeoutException("Timeout expired while fetching topic metadata");
            }
            try {
                return method.invoke(context, args);
            } catch (final InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (ProcessorContext<String, byte[]>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ProcessorContext.class}, handler);
    }

    private static void command(final AdminProcessor processor, final MockProcessorContext<String, byte[]> context,
                                final long offset, final String id, final String json) {
        context.setRecordMetadata(Topics.ADMIN, 0, offset);
        processor.process(new Record<>(id, json.getBytes(StandardCharsets.UTF_8), offset));
    }

    private static String status(final KeyValueStore<String, byte[]> store) {
        return Json.read(store.get("m"), ModelDefinition.class).status();
    }
}
