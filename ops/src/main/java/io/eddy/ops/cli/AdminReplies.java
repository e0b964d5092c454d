package io.eddy.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An ok admin reply as text for people: a table for {@code list}, aligned fields for a model. */
final class AdminReplies {
    private AdminReplies() {
    }

    /** The text for the reply {@code result} to {@code command}. */
    static String text(final JsonNode command, final JsonNode result) {
        final String op = command.path("op").asText("");
        final String model = result.path("name").asText(command.path("model").asText(""));
        final String snapshot = command.path("snapshot").asText("");
        return switch (op) {
            case "list" -> table(result.path("models"));
            case "describe" -> model(result);
            case "create" -> "Created model " + model + ".\n" + model(result);
            case "update" -> "Updated " + model + ": generation " + generation(result) + ", parameters "
                    + parameters(result.path("params")) + ".";
            case "pause" -> "Paused " + model + ": it answers events but learns from none until resumed.";
            case "resume" -> "Resumed " + model + ": it learns again.";
            case "snapshot" -> "Stored snapshot " + snapshot + " of " + model + " at generation " + generation(result)
                    + ".";
            case "rollback" -> "Rolled " + model + " back to snapshot " + snapshot + ": generation "
                    + generation(result) + ".";
            case "reset" -> "Reset " + model + ": it forgot everything; generation " + generation(result) + ".";
            case "delete" -> "Deleted model " + result.path("deleted").asText(model)
                    + " (its input and output topics stay).";
            default -> result.toPrettyString();
        };
    }

    private static String table(final JsonNode models) {
        if (models.isEmpty()) {
            return "No models.";
        }
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "TYPE", "STATUS", "GENERATION"});
        for (final JsonNode model : models) {
            rows.add(new String[] {model.path("name").asText(), model.path("type").asText(),
                model.path("status").asText(), model.path("generation").asText()});
        }
        final int[] widths = new int[rows.get(0).length];
        for (final String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        final StringBuilder text = new StringBuilder();
        for (final String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                text.append(c < row.length - 1 ? String.format(Locale.ROOT, "%-" + (widths[c] + 2) + "s", row[c])
                        : row[c]);
            }
            text.append('\n');
        }
        return text.toString().stripTrailing();
    }

    private static String model(final JsonNode model) {
        final Map<String, String> fields = new LinkedHashMap<>();
        fields.put("model", model.path("name").asText());
        fields.put("type", model.path("type").asText());
        fields.put("status", model.path("status").asText());
        fields.put("generation", generation(model));
        fields.put("partitions", model.path("partitions").asText());
        fields.put("input topic", model.path("inputTopic").asText());
        fields.put("output topic", model.path("outputTopic").asText());
        fields.put("backend", model.hasNonNull("backend") ? model.get("backend").asText() : "the engine's");
        fields.put("parameters", parameters(model.path("params")));
        final List<String> snapshots = new ArrayList<>();
        for (final JsonNode snapshot : model.path("snapshots")) {
            snapshots.add(snapshot.path("name").asText() + " (generation " + snapshot.path("generation").asText()
                    + ", " + snapshot.path("createdAt").asText() + ")");
        }
        fields.put("snapshots", snapshots.isEmpty() ? "none" : String.join(", ", snapshots));
        fields.put("created", model.path("createdAt").asText());
        fields.put("updated", model.path("updatedAt").asText());
        final StringBuilder text = new StringBuilder();
        fields.forEach((name, value) -> text.append(String.format(Locale.ROOT, "  %-13s %s%n", name, value)));
        return text.toString().stripTrailing();
    }

    private static String generation(final JsonNode model) {
        return model.path("generation").asText();
    }

    /** {@code alpha=0.1 hashBits=20}, whole numbers without a decimal point. */
    private static String parameters(final JsonNode params) {
        final List<String> pairs = new ArrayList<>();
        params.fields().forEachRemaining(entry -> pairs.add(entry.getKey() + "=" + value(entry.getValue())));
        return pairs.isEmpty() ? "none" : String.join(" ", pairs);
    }

    static String value(final JsonNode value) {
        if (value.isNumber()) {
            final double number = value.doubleValue();
            return number == Math.rint(number) && Math.abs(number) < 1e15 ? Long.toString((long) number)
                    : value.asText();
        }
        return value.asText();
    }
}
