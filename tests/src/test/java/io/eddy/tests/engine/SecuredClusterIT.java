package io.eddy.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.ops.admin.AdminRequester;
import io.eddy.streams.api.AdminTrust;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import io.eddy.streams.api.Topics;
import io.eddy.tests.support.SecuredBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The README's ACLs on a cluster that authenticates (SASL/PLAIN) and denies what no ACL allows: the
 * engine runs with its grants alone, an operator administers through the trusted topic, an
 * application feeds and reads its model, and neither can write where only the engine may.
 */
@Tag("integration")
class SecuredClusterIT {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String OPS_TOPIC = "eddy.admin.ops";
    private static SecuredBroker broker;
    private static Engine engine;

    @BeforeAll
    static void start() throws Exception {
        broker = SecuredBroker.start(List.of("eddy-engine", "alice", "shop"));
        final List<AclBinding> acls = List.of(
                // the engine (README: "Who may send admin commands")
                allow("eddy-engine", ResourceType.TOPIC, "eddy.", PatternType.PREFIXED, AclOperation.ALL),
                allow("eddy-engine", ResourceType.TOPIC, "eddy-", PatternType.PREFIXED, AclOperation.ALL),
                allow("eddy-engine", ResourceType.GROUP, "eddy-", PatternType.PREFIXED, AclOperation.ALL),
                allow("eddy-engine", ResourceType.TRANSACTIONAL_ID, "eddy-", PatternType.PREFIXED, AclOperation.ALL),
                // an operator
                allow("alice", ResourceType.TOPIC, OPS_TOPIC, PatternType.LITERAL, AclOperation.WRITE),
                allow("alice", ResourceType.TOPIC, Topics.ADMIN_REPLIES, PatternType.LITERAL, AclOperation.READ),
                // an application
                allow("shop", ResourceType.TOPIC, Topics.input("shop"), PatternType.LITERAL, AclOperation.WRITE),
                allow("shop", ResourceType.TOPIC, Topics.output("shop"), PatternType.LITERAL, AclOperation.READ),
                allow("shop", ResourceType.GROUP, "shop-app", PatternType.LITERAL, AclOperation.READ));
        try (Admin admin = Admin.create(broker.clientProperties("admin"))) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            Await.until(WAIT, () -> aclCount(admin) == acls.size(), "the broker serves the new ACLs");
        }
        engine = Engine.start(EngineConfig.of(broker.bootstrapServers(),
                        Files.createTempDirectory("eddy-secured-it"))
                .withClientProperties(broker.clientProperties("eddy-engine"))
                .withAdminTrust(new AdminTrust(List.of(OPS_TOPIC), Set.of("User:alice"))));
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
        broker.close();
    }

    private static int aclCount(final Admin admin) {
        try {
            return admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS).size();
        } catch (final Exception e) {
            throw new AssertionError(e);
        }
    }

    private static AclBinding allow(final String user, final ResourceType type, final String name,
                                    final PatternType pattern, final AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    private static JsonNode command(final String principal, final String json) {
        try (AdminRequester alice = new AdminRequester(broker.clientProperties("alice"))) {
            final String reply = alice.sendingTo(OPS_TOPIC, principal)
                    .request(json, UUID.randomUUID().toString(), WAIT);
            return Predictions.parse(reply.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Produces as {@code user}; returns the failure's cause, or {@code null} when the write went through. */
    private static Throwable produce(final String user, final String topic, final String key, final String value) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(broker.clientProperties(user),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(60, TimeUnit.SECONDS);
            return null;
        } catch (final ExecutionException e) {
            return e.getCause();
        } catch (final Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldRunOnTheDocumentedAclsAndKeepOthersOutOfTheEnginesTopics() {
        final JsonNode created = command("User:alice", "{\"op\":\"create\",\"model\":\"shop\",\"type\":\"ftrl\"}");
        assertTrue(created.get("ok").asBoolean(), created::toString);
        Await.until(WAIT, () -> engine.runningModels().contains("shop"), "the model starts under the engine's ACLs");

        for (int i = 0; i < 20; i++) {
            assertNull(produce("shop", Topics.input("shop"), "u" + i % 3,
                    "{\"id\":\"e" + i + "\",\"features\":{\"f\":" + i + "},\"label\":" + i % 2 + "}"));
        }
        final Map<String, Object> consumerProps = new HashMap<>(broker.clientProperties("shop"));
        consumerProps.put("group.id", "shop-app");
        consumerProps.put("auto.offset.reset", "earliest");
        consumerProps.put("isolation.level", "read_committed");
        final Set<String> answered = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.output("shop")));
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (answered.size() < 20 && System.nanoTime() < deadline) {
                for (final ConsumerRecord<String, String> prediction : consumer.poll(Duration.ofMillis(200))) {
                    answered.add(Predictions.parse(prediction.value().getBytes(StandardCharsets.UTF_8))
                            .get("id").asText());
                }
            }
        }
        assertEquals(20, answered.size(), "the application reads a prediction for each of its events");

        // Kafka's authorizer enforces these, on the README's ACLs as this test grants them: they show that
        // those ACLs keep an application and an operator where they belong, not anything the engine does
        for (final String topic : List.of(OPS_TOPIC, Topics.ADMIN, Topics.MODELS, "eddy.control.shop.1")) {
            assertInstanceOf(TopicAuthorizationException.class, produce("shop", topic, "x", "{\"op\":\"list\"}"),
                    "the application may not write to " + topic);
        }
        for (final String topic : List.of(Topics.MODELS, "eddy.control.shop.1", Topics.ADMIN_REPLIES)) {
            assertInstanceOf(TopicAuthorizationException.class, produce("alice", topic, "shop", "{}"),
                    "the operator may not write to " + topic);
        }
        final JsonNode refused = command("User:bob", "{\"op\":\"delete\",\"model\":\"shop\"}");
        assertFalse(refused.get("ok").asBoolean(), refused::toString);
        final JsonNode described = command("User:alice", "{\"op\":\"describe\",\"model\":\"shop\"}");
        assertEquals(1, described.get("result").get("generation").asInt());
        assertTrue(engine.runningModels().contains("shop"));
    }
}
