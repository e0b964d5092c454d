package io.eddy.streams.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class AdminTrustTest {
    private static final AdminTrust OPS = new AdminTrust(List.of("eddy.admin.ops"), Set.of("User:ops", "User:ci"));

    private static Headers principals(final String... names) {
        final RecordHeaders headers = new RecordHeaders();
        for (final String name : names) {
            headers.add(AdminTrust.PRINCIPAL_HEADER, name.getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    @Test
    void shouldAcceptAnyoneOnTheStandardTopicByDefault() {
        final AdminTrust standard = AdminTrust.standard();
        assertEquals(Optional.empty(), standard.refusal(Topics.ADMIN, principals()));
        assertEquals(Optional.empty(), standard.refusal(Topics.ADMIN, principals("User:whoever")));
        assertEquals(List.of(Topics.ADMIN), standard.sourceTopics());
        assertTrue(standard.refusal("eddy.admin.other", principals()).isPresent());
    }

    @Test
    void shouldReadTheStandardTopicToRefuseWhatArrivesThereWhenItIsNotTrusted() {
        assertEquals(List.of("eddy.admin.ops", Topics.ADMIN), OPS.sourceTopics());
        assertEquals("admin commands on topic 'eddy.admin' are not accepted: it is not one of this engine's "
                + "trusted admin topics (eddy engine --admin-topic)", OPS.refusal(Topics.ADMIN, principals("User:ops"))
                .orElseThrow());
        assertTrue(OPS.refusal(null, principals("User:ops")).isPresent(), "an unknown source is not trusted");
    }

    @Test
    void shouldAcceptOnlyOneHeaderNamingATrustedPrincipal() {
        assertEquals(Optional.empty(), OPS.refusal("eddy.admin.ops", principals("User:ops")));
        assertEquals(Optional.empty(), OPS.refusal("eddy.admin.ops", principals("User:ci")));
        assertTrue(OPS.refusal("eddy.admin.ops", principals()).orElseThrow()
                .startsWith("admin command has no 'eddy.principal' header"));
        assertEquals("principal 'User:mallory' is not trusted to send admin commands to this engine "
                + "(eddy engine --admin-principal)", OPS.refusal("eddy.admin.ops", principals("User:mallory"))
                .orElseThrow());
        assertTrue(OPS.refusal("eddy.admin.ops", principals("user:ops")).isPresent(), "names match exactly");
        assertEquals("admin command has 2 'eddy.principal' headers; send exactly one",
                OPS.refusal("eddy.admin.ops", principals("User:mallory", "User:ops")).orElseThrow());
        final RecordHeaders empty = new RecordHeaders();
        empty.add(AdminTrust.PRINCIPAL_HEADER, null);
        assertTrue(OPS.refusal("eddy.admin.ops", empty).isPresent(), "a header without a value names no one");
    }

    @Test
    void shouldRejectSettingsThatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> new AdminTrust(List.of(), Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new AdminTrust(List.of("bad topic"), Set.of()));
        assertEquals("'eddy.models' is one of the engine's own topics, not an admin topic",
                assertThrows(IllegalArgumentException.class,
                        () -> new AdminTrust(List.of(Topics.MODELS), Set.of())).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AdminTrust(List.of(Topics.ADMIN), Set.of(" ")));
        assertEquals(List.of("a", "b"), new AdminTrust(List.of("a", "b", "a"), Set.of()).topics());
    }

    @Test
    void shouldDescribeItselfForTheStartUpLine() {
        assertEquals("admin commands accepted on eddy.admin from any principal", AdminTrust.standard().describe());
        assertEquals("admin commands accepted on eddy.admin.ops from User:ci, User:ops", OPS.describe());
    }

    @Test
    void shouldBeTheDefaultOfEngineSettings() {
        final EngineConfig config = EngineConfig.of("localhost:9092", Path.of("state"));
        assertEquals(AdminTrust.standard(), config.adminTrust());
        assertEquals(OPS, config.withAdminTrust(OPS).withCommitIntervalMs(7).adminTrust());
    }
}
