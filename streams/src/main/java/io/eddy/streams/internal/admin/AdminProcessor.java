package io.eddy.streams.internal.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.errors.EddyException;
import io.eddy.streams.api.AdminTrust;
import io.eddy.streams.internal.json.Json;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers each admin command exactly once. The registry store, the {@code eddy.models} record, the
 * control messages and the reply are written in one Kafka Streams transaction, so a crash either
 * applies a command entirely (reply included) or not at all. A command from a source the
 * {@link AdminTrust} does not accept is answered with an error before it is even parsed.
 */
final class AdminProcessor implements Processor<String, byte[], String, byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminProcessor.class);
    /**
     * Largest model definition a command may leave, serialized: it goes whole into {@code eddy.models}, the
     * registry's changelog and the reply, and Kafka refuses records past about 1 MiB by default. A refused send
     * would fail the admin application's thread, and its replacement would retry the same command for ever.
     */
    static final int MAX_DEFINITION_BYTES = 256 * 1024;
    /** Largest reply: a definition's view, or a list of many models. */
    static final int MAX_REPLY_BYTES = 512 * 1024;
    /** Model names never start with NUL, so this key cannot clash with one. */
    private static final String INCARNATION_KEY = "\u0000incarnation";

    private final AdminHandler.TopicAdmin topics;
    private final short defaultReplicationFactor;
    private final AdminTrust trust;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> store;
    private AdminHandler handler;

    AdminProcessor(final AdminHandler.TopicAdmin topics, final short defaultReplicationFactor,
                   final AdminTrust trust) {
        this.topics = topics;
        this.defaultReplicationFactor = defaultReplicationFactor;
        this.trust = trust;
    }

    @Override
    public void init(final ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(AdminTopology.REGISTRY_STORE);
        this.handler = new AdminHandler(new StoreRegistry(), topics, defaultReplicationFactor,
                trust.sourceTopics(), Runtime.getRuntime().maxMemory());
    }

    @Override
    public void process(final Record<String, byte[]> record) {
        final String requestId = AdminCommandParser.requestId(record.key(), record.value());
        final ObjectNode reply = Json.MAPPER.createObjectNode().put("requestId", requestId);
        AdminHandler.Outcome outcome = null;
        try {
            if (requestId == null) {
                throw new AdminException("missing request id: set the record key or a string field 'requestId'");
            }
            final String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(null);
            final Optional<String> refusal = trust.refusal(topic, record.headers());
            if (refusal.isPresent()) {
                LOG.warn("refused admin command {} from topic {}: {}", requestId, topic, refusal.get());
                throw new AdminException(refusal.get());
            }
            final AdminCommand command = AdminCommandParser.parse(requestId, record.value());
            final AdminHandler.Outcome handled = handler.handle(command,
                    Instant.ofEpochMilli(context.currentSystemTimeMs()).toString());
            final int definitionBytes = handled.definition() == null ? 0 : Json.bytes(handled.definition()).length;
            if (definitionBytes > MAX_DEFINITION_BYTES) {
                throw new AdminException("model '" + handled.definition().name() + "' would be described by "
                        + definitionBytes + " bytes of JSON, past the " + MAX_DEFINITION_BYTES + " a registry record "
                        + "may hold (each snapshot adds its name and parameters)");
            }
            outcome = handled;
            reply.put("ok", true).set("result", outcome.result());
        } catch (final EddyException e) {
            // rejected commands, and cluster errors that name the topic (e.g. replication factor too high)
            reply.put("ok", false).put("error", e.getMessage());
        } catch (final RuntimeException e) {
            LOG.error("admin command {} failed", requestId, e);
            reply.put("ok", false).put("error", "internal error: " + e);
        }
        if (outcome != null) {
            // outside the catch: a write that fails here (a control topic's metadata that does not come in time,
            // say) must abort the transaction, registry change included, and not commit it with an error reply
            apply(outcome, record);
        }
        byte[] answer = Json.bytes(reply);
        if (answer.length > MAX_REPLY_BYTES) {
            answer = Json.bytes(Json.MAPPER.createObjectNode().put("requestId", requestId).put("ok", false)
                    .put("error", "the reply would be " + answer.length + " bytes of JSON, past the " + MAX_REPLY_BYTES
                            + " one reply may hold; ask for less (describe one model at a time)"));
        }
        context.forward(record.withKey(requestId).withValue(answer), AdminTopology.REPLIES_SINK);
    }

    private void apply(final AdminHandler.Outcome outcome, final Record<String, byte[]> record) {
        if (outcome.definition() != null) {
            handedOut(outcome.definition().incarnation());
            final byte[] bytes = Json.bytes(outcome.definition());
            store.put(outcome.definition().name(), bytes);
            context.forward(record.withKey(outcome.definition().name()).withValue(bytes), AdminTopology.MODELS_SINK);
        }
        if (outcome.deleted() != null) {
            store.delete(outcome.deleted().name());
            context.forward(record.withKey(outcome.deleted().name()).withValue(null), AdminTopology.MODELS_SINK);
        }
        if (outcome.control() != null) {
            // the key names the destination; the sink sends a copy to every partition of it
            context.forward(record.withKey(outcome.definition().controlTopic())
                    .withValue(Json.bytes(outcome.control())), AdminTopology.CONTROL_SINK);
        }
    }

    /** The registry kept in this application's changelogged store. */
    private final class StoreRegistry implements AdminHandler.Registry {
        @Override
        public ModelDefinition get(final String model) {
            final byte[] bytes = store.get(model);
            return bytes == null ? null : Json.read(bytes, ModelDefinition.class);
        }

        @Override
        public List<ModelDefinition> all() {
            final List<ModelDefinition> all = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> entries = store.all()) {
                while (entries.hasNext()) {
                    final KeyValue<String, byte[]> entry = entries.next();
                    if (!entry.key.equals(INCARNATION_KEY)) {
                        all.add(Json.read(entry.value, ModelDefinition.class));
                    }
                }
            }
            return all;
        }

        @Override
        public long nextIncarnation() {
            return lastIncarnation() + 1;
        }
    }

    private long lastIncarnation() {
        final byte[] bytes = store.get(INCARNATION_KEY);
        return bytes == null ? 0 : ByteBuffer.wrap(bytes).getLong();
    }

    /** Keeps {@code incarnation} as handed out; only an applied create hands one out. */
    private void handedOut(final long incarnation) {
        if (incarnation > lastIncarnation()) {
            store.put(INCARNATION_KEY, ByteBuffer.allocate(8).putLong(incarnation).array());
        }
    }
}
