package io.eddy.tests.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A strict reader of Prometheus' text exposition format 0.0.4: every line must be a comment, a
 * {@code # HELP} or {@code # TYPE} line or a well-formed sample; every sample must belong to a family
 * declared by {@code # TYPE} before it, with the suffixes its type allows; a family's lines must form one
 * group; no series may repeat. Anything else throws {@link IllegalArgumentException} with the line.
 */
final class PrometheusText {
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    record Family(String name, String type, String help, List<Sample> samples) {
    }

    private PrometheusText() {
    }

    /** The families in {@code text}, by name. */
    static Map<String, Family> parse(final String text) {
        final Map<String, Family> families = new LinkedHashMap<>();
        final Set<String> series = new HashSet<>();
        final Map<String, String> help = new HashMap<>();
        String current = null;
        int lineNumber = 0;
        for (final String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.isEmpty()) {
                continue;
            }
            final String where = "line " + lineNumber + ": " + line;
            if (line.startsWith("#")) {
                final String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && parts[1].equals("HELP")) {
                    requireName(parts[2], where);
                    help.put(parts[2], parts.length == 4 ? parts[3] : "");
                } else if (parts.length >= 3 && parts[1].equals("TYPE")) {
                    requireName(parts[2], where);
                    if (parts.length != 4 || !TYPES.contains(parts[3])) {
                        throw new IllegalArgumentException("bad TYPE at " + where);
                    }
                    if (families.containsKey(parts[2])) {
                        throw new IllegalArgumentException("second TYPE for one family at " + where);
                    }
                    families.put(parts[2], new Family(parts[2], parts[3], help.get(parts[2]), new ArrayList<>()));
                    current = parts[2];
                }
                continue;
            }
            final Sample sample = sample(line, where);
            final String family = familyOf(sample.name(), families);
            if (family == null) {
                throw new IllegalArgumentException("sample of no declared family at " + where);
            }
            if (!family.equals(current)) {
                throw new IllegalArgumentException("family '" + family + "' split into two groups at " + where);
            }
            if (!series.add(sample.name() + new TreeMap<>(sample.labels()))) {
                throw new IllegalArgumentException("repeated series at " + where);
            }
            families.get(family).samples().add(sample);
        }
        return families;
    }

    private static String familyOf(final String sample, final Map<String, Family> families) {
        final Family exact = families.get(sample);
        if (exact != null && !exact.type().equals("histogram")) {
            return sample; // 0.0.4 writers may declare a counter under its sample's name, _total included
        }
        for (final String suffix : List.of("_total", "_created", "_count", "_sum", "_bucket")) {
            if (sample.endsWith(suffix)) {
                final Family family = families.get(sample.substring(0, sample.length() - suffix.length()));
                if (family != null && allows(family.type(), suffix)) {
                    return family.name();
                }
            }
        }
        return null;
    }

    private static boolean allows(final String type, final String suffix) {
        return switch (type) {
            case "counter" -> suffix.equals("_total") || suffix.equals("_created");
            case "summary" -> suffix.equals("_count") || suffix.equals("_sum") || suffix.equals("_created");
            case "histogram" -> !suffix.equals("_total");
            default -> false;
        };
    }

    private static Sample sample(final String line, final String where) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        final String name = line.substring(0, i);
        requireName(name, where);
        final Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                final int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw new IllegalArgumentException("label without '=' at " + where);
                }
                final String label = line.substring(i, eq);
                if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                    throw new IllegalArgumentException("bad label name '" + label + "' at " + where);
                }
                if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("unquoted label value at " + where);
                }
                final StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        c = line.charAt(++j);
                        if (c == 'n') {
                            c = '\n';
                        } else if (c != '\\' && c != '"') {
                            throw new IllegalArgumentException("bad escape in a label value at " + where);
                        }
                    }
                    value.append(c);
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new IllegalArgumentException("repeated label at " + where);
                }
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                } else if (line.charAt(i) != '}') {
                    throw new IllegalArgumentException("expected ',' or '}' at " + where);
                }
            }
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new IllegalArgumentException("no value at " + where);
        }
        final String[] rest = line.substring(i + 1).split(" ");
        if (rest.length > 2) {
            throw new IllegalArgumentException("trailing text at " + where);
        }
        if (rest.length == 2) {
            Long.parseLong(rest[1]);
        }
        return new Sample(name, labels, value(rest[0], where));
    }

    private static double value(final String text, final String where) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                if (!text.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
                    throw new IllegalArgumentException("bad value '" + text + "' at " + where);
                }
                return Double.parseDouble(text);
        }
    }

    private static void requireName(final String name, final String where) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("bad metric name '" + name + "' at " + where);
        }
    }
}
