package io.eddy.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.errors.EddyException;
import io.eddy.ops.admin.AdminRequester;
import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code eddy admin <op>}: builds the JSON command, sends it to {@code eddy.admin}, prints the
 * reply, as text or with {@code --json} as the reply's JSON. Exit code (see {@link ExitCode}) 0 when
 * the reply says ok, 1 when it carries an error, 3 when Kafka does not answer, 4 when no engine does.
 */
@Command(name = "admin", description = "Send an admin command to eddy.admin and print the reply.")
final class AdminCommand implements Runnable {
    @Mixin
    ClientOptions client;

    @Option(names = "--request-id", scope = CommandLine.ScopeType.INHERIT, paramLabel = "ID",
            description = "Request id (default: a raw command's own \"requestId\", else a random UUID).")
    String requestId;

    @Option(names = "--timeout", defaultValue = "30", scope = CommandLine.ScopeType.INHERIT, paramLabel = "SECONDS",
            description = "How long to wait for Kafka, and then for the engine's reply (default ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--json", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the reply as one line of JSON, {\"requestId\",\"ok\",\"result\"|\"error\"}, on "
                    + "stdout, errors included.")
    boolean json;

    // no defaultValue: picocli would apply an inherited option's default over a value given after the op
    @Option(names = "--admin-topic", scope = CommandLine.ScopeType.INHERIT, paramLabel = "TOPIC",
            description = "Topic to send the command to: one the engine trusts (default: eddy.admin).")
    String adminTopic;

    @Option(names = "--principal", scope = CommandLine.ScopeType.INHERIT, paramLabel = "PRINCIPAL",
            description = "Principal named in the command's eddy.principal header, for an engine that trusts "
                    + "only some (default: none).")
    String principal;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "name an operation: create, update, pause, "
                + "resume, snapshot, rollback, reset, delete, list, describe or raw");
    }

    @Command(name = "create", description = "Create a model.")
    int create(@Parameters(paramLabel = "MODEL") final String model,
               @Option(names = "--type", required = true, paramLabel = "TYPE",
                       description = "Learner type: ftrl, rtrl, ff, mlp, mf or implicit.") final String type,
               @Option(names = "--param", paramLabel = "NAME=VALUE", description = "Hyper-parameter (repeatable).")
               final Map<String, String> params,
               @Option(names = "--input-topic", paramLabel = "TOPIC",
                       description = "Input topic (default: eddy.in.MODEL; an existing one keeps its partitions).")
               final String inputTopic,
               @Option(names = "--output-topic", paramLabel = "TOPIC",
                       description = "Prediction topic (default: eddy.out.MODEL).") final String outputTopic,
               @Option(names = "--partitions", paramLabel = "N",
                       description = "Partitions of the topics the engine makes (default 1).") final Integer partitions,
               @Option(names = "--replication-factor", paramLabel = "N",
                       description = "Replication factor of the topics the engine makes (default: the engine's).")
               final Integer replicationFactor,
               @Option(names = "--backend", paramLabel = "BACKEND",
                       description = "Compute backend for this model: auto, cpu or cuda (default: the engine's "
                               + "--backend).") final String backend) {
        final ObjectNode command = command("create").put("model", model).put("type", type);
        putParams(command, params);
        putIfGiven(command, "inputTopic", inputTopic);
        putIfGiven(command, "outputTopic", outputTopic);
        putIfGiven(command, "backend", backend);
        if (partitions != null) {
            command.put("partitions", partitions);
        }
        if (replicationFactor != null) {
            command.put("replicationFactor", replicationFactor);
        }
        return send(command);
    }

    @Command(name = "update", description = "Change hyper-parameters of a running model.")
    int update(@Parameters(paramLabel = "MODEL") final String model,
               @Option(names = "--param", required = true, paramLabel = "NAME=VALUE")
               final Map<String, String> params) {
        final ObjectNode command = command("update").put("model", model);
        putParams(command, params);
        return send(command);
    }

    @Command(name = "pause", description = "Stop learning; predictions continue.")
    int pause(@Parameters(paramLabel = "MODEL") final String model) {
        return send(command("pause").put("model", model));
    }

    @Command(name = "resume", description = "Resume learning.")
    int resume(@Parameters(paramLabel = "MODEL") final String model) {
        return send(command("resume").put("model", model));
    }

    @Command(name = "snapshot", description = "Store the model's current state under a name.")
    int snapshot(@Parameters(paramLabel = "MODEL") final String model,
                 @Parameters(paramLabel = "NAME") final String name) {
        return send(command("snapshot").put("model", model).put("snapshot", name));
    }

    @Command(name = "rollback", description = "Restore a snapshot.")
    int rollback(@Parameters(paramLabel = "MODEL") final String model,
                 @Parameters(paramLabel = "NAME") final String name) {
        return send(command("rollback").put("model", model).put("snapshot", name));
    }

    @Command(name = "reset", description = "Forget everything the model learned.")
    int reset(@Parameters(paramLabel = "MODEL") final String model) {
        return send(command("reset").put("model", model));
    }

    @Command(name = "delete", description = "Stop a model and remove its state.")
    int delete(@Parameters(paramLabel = "MODEL") final String model) {
        return send(command("delete").put("model", model));
    }

    @Command(name = "list", description = "List models.")
    int list() {
        return send(command("list"));
    }

    @Command(name = "describe", description = "Show a model's definition and status.")
    int describe(@Parameters(paramLabel = "MODEL") final String model) {
        return send(command("describe").put("model", model));
    }

    @Command(name = "raw", description = "Send a JSON command as given.")
    int raw(@Parameters(paramLabel = "JSON") final String commandJson) {
        return send(commandJson);
    }

    private static ObjectNode command(final String op) {
        return Json.MAPPER.createObjectNode().put("op", op);
    }

    private static void putIfGiven(final ObjectNode command, final String field, final String value) {
        if (value != null) {
            command.put(field, value);
        }
    }

    private void putParams(final ObjectNode command, final Map<String, String> params) {
        if (params == null || params.isEmpty()) {
            return;
        }
        final ObjectNode node = command.putObject("params");
        // numbers go as numbers, anything else as an option name for the learner type to check
        params.forEach((name, value) -> {
            try {
                node.put(name, Double.parseDouble(value));
            } catch (final NumberFormatException e) {
                node.put(name, value);
            }
        });
    }

    private int send(final ObjectNode command) {
        return send(command.toString(), command);
    }

    private int send(final String commandJson) {
        JsonNode command;
        try {
            command = Json.MAPPER.readTree(commandJson);
        } catch (final IOException e) {
            command = Json.MAPPER.createObjectNode(); // the engine's reply will say what is wrong with it
        }
        return send(commandJson, command);
    }

    private int send(final String text, final JsonNode command) {
        if (requestId != null && requestId.isBlank()) {
            throw new IllegalArgumentException("--request-id must not be empty");
        }
        // the id keys the record, which the engine prefers to a "requestId" in the JSON: a raw command keeps its own
        final String carried = command.path("requestId").isTextual() && !command.path("requestId").asText().isBlank()
                ? command.path("requestId").asText() : null;
        final String id = requestId != null ? requestId : carried != null ? carried : UUID.randomUUID().toString();
        final Duration timeout = ClientOptions.seconds(timeoutSeconds, "--timeout");
        final JsonNode reply;
        try (AdminRequester requester = new AdminRequester(client.clientProperties(), timeout)
                .sendingTo(adminTopic != null ? adminTopic : Topics.ADMIN, principal)) {
            reply = Json.MAPPER.readTree(requester.request(text, id, timeout));
        } catch (final IOException e) {
            throw new EddyException("unreadable reply: " + e.getMessage(), e);
        }
        final boolean ok = reply.path("ok").asBoolean();
        if (json) {
            System.out.println(reply);
        } else if (ok) {
            System.out.println(AdminReplies.text(command, reply.path("result")));
        } else {
            System.err.println("eddy: " + reply.path("error").asText("the engine rejected the command"));
        }
        return ok ? ExitCode.OK : ExitCode.FAILED;
    }
}
