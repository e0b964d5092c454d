package io.eddy.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.streams.api.AdminTrust;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EngineTrustOptionsTest {
    private static AdminTrust parse(final String... args) {
        final EngineCommand command = new EngineCommand();
        new CommandLine(command).parseArgs(args);
        return command.adminTrust();
    }

    @Test
    void shouldTrustTheStandardTopicAndAnyPrincipalByDefault() {
        assertEquals(AdminTrust.standard(), parse("--bootstrap-servers", "localhost:9092"));
    }

    @Test
    void shouldReplaceTheDefaultTopicAndKeepCommasInsidePrincipals() {
        assertEquals(new AdminTrust(List.of("eddy.admin.ops", "eddy.admin.ci"), Set.of("User:alice", "CN=bob,OU=ops")),
                parse("--bootstrap-servers", "localhost:9092", "--admin-topic", "eddy.admin.ops",
                        "--admin-topic", "eddy.admin.ci", "--admin-principal", "User:alice",
                        "--admin-principal", "CN=bob,OU=ops"));
    }
}
