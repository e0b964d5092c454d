package io.eddy.connectors.table;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An ARFF file's header, {@code @relation}, the {@code @attribute}s and {@code @data} (keywords in any
 * case), read from a reader that it leaves at the first data line.
 */
final class ArffHeader {
    final String relation;
    final List<Column> columns;
    /** The line of {@code @data}. */
    final long dataLine;

    private ArffHeader(final String relation, final List<Column> columns, final long dataLine) {
        this.relation = relation;
        this.columns = List.copyOf(columns);
        this.dataLine = dataLine;
    }

    static ArffHeader read(final BufferedReader reader, final Path path) throws IOException {
        String relation = null;
        final List<Column> columns = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        long line = 0;
        try {
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                line++;
                text = (line == 1 && text.startsWith("\uFEFF") ? text.substring(1) : text).strip();
                if (text.isEmpty() || text.startsWith("%")) {
                    continue;
                }
                final String keyword = ArffText.firstWord(text).toLowerCase(Locale.ROOT);
                final String rest = text.substring(keyword.length()).strip();
                if (keyword.equals("@relation")) {
                    relation = ArffText.unquote(ArffText.firstWord(rest), path, line);
                } else if (keyword.equals("@attribute")) {
                    final Column column = attribute(rest, path, line);
                    if (!names.add(column.name())) {
                        throw new MalformedTableException(path, line, "attribute '" + column.name()
                                + "' is declared twice");
                    }
                    columns.add(column);
                } else if (keyword.equals("@data")) {
                    if (columns.isEmpty()) {
                        throw new MalformedTableException(path, line, "@data before any @attribute");
                    }
                    return new ArffHeader(relation == null ? "" : relation, columns, line);
                } else {
                    throw new MalformedTableException(path, line, "expected @relation, @attribute or @data, found '"
                            + ArffText.firstWord(text) + "'");
                }
            }
        } catch (final CharacterCodingException e) {
            throw TextFiles.notUtf8(path, line + 1);
        }
        throw new MalformedTableException(path, line, "no @data line: the file ends in its header");
    }

    /** The column that {@code @attribute NAME TYPE} declares; {@code text} is what follows the keyword. */
    private static Column attribute(final String text, final Path path, final long line)
            throws MalformedTableException {
        final String quotedName = ArffText.firstWord(text);
        final String name = ArffText.unquote(quotedName, path, line);
        final String type = text.substring(quotedName.length()).strip();
        if (name.isEmpty()) {
            throw new MalformedTableException(path, line, "@attribute without a name");
        }
        if (type.startsWith("{")) {
            return Column.nominal(name, nominalValues(name, type, path, line));
        }
        final String word = ArffText.firstWord(type).toLowerCase(Locale.ROOT);
        return switch (word) {
            case "numeric", "real", "integer" -> Column.numeric(name);
            case "string" -> Column.text(name);
            case "date" -> throw new MalformedTableException(path, line, "attribute '" + name + "' is a date, which "
                    + "is not supported: write it as a number (e.g. seconds since 1970) or leave it out");
            case "relational" -> throw new MalformedTableException(path, line, "attribute '" + name + "' is "
                    + "relational, which is not supported");
            case "" -> throw new MalformedTableException(path, line, "attribute '" + name + "' has no type");
            default -> throw new MalformedTableException(path, line, "unknown type '" + ArffText.firstWord(type)
                    + "' of attribute '" + name + "': expected numeric, real, integer, string, date or {values}");
        };
    }

    private static List<String> nominalValues(final String name, final String type, final Path path,
                                              final long line) throws MalformedTableException {
        final int close = type.lastIndexOf('}');
        if (close < 0 || !type.substring(close + 1).isBlank() && !type.substring(close + 1).strip().startsWith("%")) {
            throw new MalformedTableException(path, line, "the values of attribute '" + name + "' must end with }");
        }
        final List<String> values = new ArrayList<>();
        for (final String part : ArffText.split(type.substring(1, close), path, line)) {
            final String value = ArffText.unquote(part, path, line);
            if (part.isEmpty() || values.contains(value)) {
                throw new MalformedTableException(path, line, (part.isEmpty() ? "an empty value" : "value '" + value
                        + "' twice") + " in the values of attribute '" + name + "'");
            }
            values.add(value);
        }
        return values;
    }
}
