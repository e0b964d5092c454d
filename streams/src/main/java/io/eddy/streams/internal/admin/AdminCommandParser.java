package io.eddy.streams.internal.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.kernels.Backends;
import io.eddy.streams.internal.json.Json;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the bytes of an {@code eddy.admin} record into an {@link AdminCommand}, checking shape only:
 * JSON syntax, known operation, required and unknown fields, types and names. Whether the command
 * makes sense against the registry is the {@link AdminHandler}'s business.
 */
public final class AdminCommandParser {
    /** Model and snapshot names become parts of topic names, so they use topic-name characters. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    private static final Map<String, Set<String>> FIELDS = Map.of(
            "create", Set.of("model", "type", "params", "inputTopic", "outputTopic", "partitions", "replicationFactor",
                    "backend"),
            "update", Set.of("model", "params"),
            "pause", Set.of("model"),
            "resume", Set.of("model"),
            "snapshot", Set.of("model", "snapshot"),
            "rollback", Set.of("model", "snapshot"),
            "reset", Set.of("model"),
            "delete", Set.of("model"),
            "list", Set.of(),
            "describe", Set.of("model"));

    private AdminCommandParser() {
    }

    /**
     * The request id of a command: the record key when there is one, else the JSON's
     * {@code requestId}; {@code null} when neither is usable.
     */
    public static String requestId(final String key, final byte[] value) {
        if (key != null && !key.isEmpty()) {
            return key;
        }
        try {
            final JsonNode id = Json.MAPPER.readTree(value).get("requestId");
            return id != null && id.isTextual() ? id.asText() : null;
        } catch (final IOException | RuntimeException e) {
            return null;
        }
    }

    /** Parses a command; throws {@link AdminException} saying exactly what is wrong. */
    public static AdminCommand parse(final String requestId, final byte[] value) {
        final JsonNode root;
        try {
            root = value == null ? null : Json.MAPPER.readTree(value);
        } catch (final IOException e) {
            throw new AdminException("malformed JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new AdminException("a command must be a JSON object");
        }
        final String op = text(root, "op", true);
        final Set<String> allowed = FIELDS.get(op);
        if (allowed == null) {
            throw new AdminException("unknown op '" + op + "'; known: create, update, pause, resume, snapshot, "
                    + "rollback, reset, delete, list, describe");
        }
        for (final Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            final String field = names.next();
            if (!field.equals("op") && !field.equals("requestId") && !allowed.contains(field)) {
                throw new AdminException("unknown field '" + field + "' for op '" + op + "'");
            }
        }
        switch (op) {
            case "create":
                return new AdminCommand.Create(requestId, model(root), text(root, "type", true),
                        params(root, false), topic(root, "inputTopic"), topic(root, "outputTopic"),
                        positiveInt(root, "partitions", 10_000), shortOrNull(root), backend(root));
            case "update":
                return new AdminCommand.Update(requestId, model(root), params(root, true));
            case "pause":
                return new AdminCommand.Pause(requestId, model(root));
            case "resume":
                return new AdminCommand.Resume(requestId, model(root));
            case "snapshot":
                return new AdminCommand.Snapshot(requestId, model(root), name(root, "snapshot"));
            case "rollback":
                return new AdminCommand.Rollback(requestId, model(root), name(root, "snapshot"));
            case "reset":
                return new AdminCommand.Reset(requestId, model(root));
            case "delete":
                return new AdminCommand.Delete(requestId, model(root));
            case "list":
                return new AdminCommand.ListModels(requestId);
            default:
                return new AdminCommand.Describe(requestId, model(root));
        }
    }

    private static String model(final JsonNode root) {
        return name(root, "model");
    }

    private static String name(final JsonNode root, final String field) {
        final String name = text(root, field, true);
        if (!NAME.matcher(name).matches()) {
            throw new AdminException("'" + field + "' must be 1-100 characters of letters, digits, '.', '_' or '-' "
                    + "(not starting with '.'), got '" + name + "'");
        }
        return name;
    }

    private static String topic(final JsonNode root, final String field) {
        final String topic = text(root, field, false);
        if (topic != null && (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals(".."))) {
            throw new AdminException("'" + field + "' is not a valid topic name: '" + topic + "'");
        }
        return topic;
    }

    private static String text(final JsonNode root, final String field, final boolean required) {
        final JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new AdminException("missing field '" + field + "'");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new AdminException("'" + field + "' must be a string");
        }
        return node.asText();
    }

    /** The compute backend a create asks for, lower-cased; {@code null} leaves it to the engine. */
    private static String backend(final JsonNode root) {
        final String value = text(root, "backend", false);
        if (value == null) {
            return null;
        }
        try {
            return Backends.validate(value);
        } catch (final IllegalArgumentException e) {
            throw new AdminException(e.getMessage());
        }
    }

    private static Integer positiveInt(final JsonNode root, final String field, final int max) {
        final JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        // canConvertToLong: a whole number beyond a long would otherwise wrap (2^64 + 1 reads as 1)
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 1 || node.asLong() > max) {
            throw new AdminException("'" + field + "' must be a whole number in [1, " + max + "]");
        }
        return node.asInt();
    }

    private static Short shortOrNull(final JsonNode root) {
        final Integer value = positiveInt(root, "replicationFactor", Short.MAX_VALUE);
        return value == null ? null : value.shortValue();
    }

    /** Numbers, or option names for choice parameters; the learner type converts them. */
    private static Map<String, Object> params(final JsonNode root, final boolean required) {
        final JsonNode node = root.get("params");
        final Map<String, Object> params = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            if (required) {
                throw new AdminException("missing field 'params'");
            }
            return params;
        }
        if (!node.isObject()) {
            throw new AdminException("'params' must be an object of numbers and option names");
        }
        for (final Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            final Map.Entry<String, JsonNode> field = fields.next();
            final JsonNode value = field.getValue();
            if (value.isNumber()) {
                params.put(field.getKey(), value.asDouble());
            } else if (value.isTextual()) {
                params.put(field.getKey(), value.asText());
            } else {
                throw new AdminException("parameter '" + field.getKey() + "' must be a number or an option name");
            }
        }
        if (required && params.isEmpty()) {
            throw new AdminException("'params' must name at least one parameter");
        }
        return params;
    }

    private static String firstLine(final String message) {
        final int newline = message == null ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }
}
