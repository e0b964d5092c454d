package io.eddy.ops.cli;

import io.eddy.connectors.table.Column;
import io.eddy.connectors.table.CsvTable;
import io.eddy.connectors.table.DenseEventEncoder;
import io.eddy.connectors.table.LabelStats;
import io.eddy.connectors.table.Table;
import io.eddy.connectors.table.TableFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code eddy replay --file}: a CSV or ARFF file's rows as dense events, and the options that shape them. */
final class FileOptions {
    static final List<String> TASKS = List.of("classification", "regression");
    private static final int LISTED = 12;

    @Option(names = "--file", paramLabel = "FILE",
            description = "Instead of a task, the rows of a CSV file (with a header line) or an ARFF file, one dense "
                    + "event per row: {\"id\":..,\"x\":[..],\"label\":k} or {..,\"y\":[v]}. x holds the other "
                    + "columns, nominal ones one-hot; rows with a missing value are skipped.")
    Path file;

    @Option(names = "--format", paramLabel = "csv|arff",
            description = "The file's format (default: by its extension, .arff or .csv/.tsv/.txt).")
    String format;

    @Option(names = "--label", paramLabel = "COLUMN",
            description = "The label column, by name or index from 0 (default: the last column).")
    String label;

    @Option(names = "--key", paramLabel = "COLUMN",
            description = "The column whose value is each event's id and record key (default: none; ids r0, r1, "
                    + "..., no record key).")
    String key;

    @Option(names = "--separator", paramLabel = "C",
            description = "A CSV file's separator: ',' (the default; a tab for .tsv), ';', tab, or another "
                    + "character.")
    String separator;

    /** The option that is given although --file is not, or null. */
    String strayOption() {
        return format != null ? "--format" : label != null ? "--label" : key != null ? "--key"
                : separator != null ? "--separator" : null;
    }

    /**
     * Checks the file and the options, prints what will be replayed, and opens the events.
     *
     * @param task classification, regression or null (by the label's type)
     * @param limit events at most, 0 or null for all
     */
    FileEvents open(final String task, final Long limit, final ReplayIntro intro) throws IOException {
        if (task != null && !TASKS.contains(task)) {
            throw new IllegalArgumentException("with --file, --task is classification or regression, got '" + task
                    + "'");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no file " + file + " (--file takes a CSV or ARFF file)");
        }
        final String fileFormat = format != null ? format.toLowerCase(Locale.ROOT) : TableFiles.formatOf(file);
        if (!TableFiles.FORMATS.contains(fileFormat)) {
            throw new IllegalArgumentException("unknown --format '" + format + "'; known: "
                    + String.join(", ", TableFiles.FORMATS));
        }
        if (separator != null && !TableFiles.CSV.equals(fileFormat)) {
            throw new IllegalArgumentException("--separator applies to a CSV file only, not to " + fileFormat);
        }
        final Table table = TableFiles.open(file, fileFormat, separatorChar());
        final int labelColumn = table.columnIndex(label != null ? label : Integer.toString(table.columns().size() - 1));
        final int keyColumn = key == null ? -1 : table.columnIndex(key);
        final Column target = table.columns().get(labelColumn);
        final DenseEventEncoder.Task chosen = task != null ? DenseEventEncoder.Task.valueOf(task.toUpperCase(
                Locale.ROOT)) : target.type() == Column.Type.NUMERIC ? DenseEventEncoder.Task.REGRESSION
                : DenseEventEncoder.Task.CLASSIFICATION;
        final LabelStats stats = LabelStats.scan(table, labelColumn);
        final DenseEventEncoder encoder = new DenseEventEncoder(table, labelColumn, keyColumn, chosen,
                classesOf(target, chosen, stats));
        final long most = limit == null || limit == 0 ? Long.MAX_VALUE : limit;
        final FileEvents events = new FileEvents(file.getFileName().toString(), table.rows(), encoder, most,
                Math.min(most, stats.complete()));
        printIntro(intro, fileFormat, table, stats, encoder, labelColumn, keyColumn, events.total());
        return events;
    }

    private char separatorChar() {
        if (separator == null) {
            return TableFiles.defaultSeparator(file);
        }
        final Character named = CsvTable.SEPARATOR_NAMES.get(separator.toLowerCase(Locale.ROOT));
        if (named != null) {
            return named;
        }
        if (separator.length() != 1 || "\"\r\n".contains(separator)) {
            throw new IllegalArgumentException("--separator takes one character (or comma, semicolon, tab), not '"
                    + separator + "'");
        }
        return separator.charAt(0);
    }

    /** A numeric label's classes for classification: 0 up to its largest value, which must all be whole. */
    private static int classesOf(final Column target, final DenseEventEncoder.Task task, final LabelStats stats) {
        if (task != DenseEventEncoder.Task.CLASSIFICATION || target.type() != Column.Type.NUMERIC) {
            return 0;
        }
        if (stats.notAClass() != null) {
            throw new IllegalArgumentException("classification takes a numeric label's whole values >= 0 as classes, "
                    + "but column '" + target.name() + "' has '" + stats.notAClass() + "' on line "
                    + stats.notAClassLine() + "; use --task regression");
        }
        return stats.max() < 0 ? 1 : (int) stats.max() + 1;
    }

    private static void printIntro(final ReplayIntro intro, final String fileFormat, final Table table,
                                   final LabelStats stats, final DenseEventEncoder encoder, final int labelColumn,
                                   final int keyColumn, final long events) {
        final PrintStream out = intro.out();
        final Column target = table.columns().get(labelColumn);
        final long incomplete = stats.rows() - stats.complete();
        out.printf(Locale.ROOT, "Replaying %s (%s, %,d rows%s) to %s: %,d events, %s.%n", table.path(), fileFormat,
                stats.rows(), incomplete == 0 ? "" : String.format(Locale.ROOT, ", %,d with a missing value skipped",
                        incomplete), intro.target(), events, intro.rate());
        out.printf(Locale.ROOT, "  x (%d): %s%n", encoder.inputs(), listed(encoder.inputNames()));
        if (encoder.task() == DenseEventEncoder.Task.REGRESSION) {
            out.printf(Locale.ROOT, "  label: %s, regression (y has 1 value)%n", target.name());
        } else {
            final List<String> classes = new ArrayList<>();
            for (int k = 0; k < encoder.outputs(); k++) {
                classes.add(target.type() == Column.Type.NOMINAL ? k + " " + target.values().get(k)
                        : Integer.toString(k));
            }
            out.printf(Locale.ROOT, "  label: %s, classification, %d classes: %s%n", target.name(), encoder.outputs(),
                    listed(classes));
        }
        out.println(keyColumn < 0 ? "  key: none (ids r0, r1, ..., no record key)"
                : "  key: " + table.columns().get(keyColumn).name() + " (each event's id and record key)");
        out.println("Create the model first if it does not exist, e.g.:");
        if (encoder.task() == DenseEventEncoder.Task.REGRESSION) {
            out.printf(Locale.ROOT, "  ./eddy admin create %s --type rtrl --param inputs=%d --param outputs=1 "
                    + "--param task=regression %s%n", intro.model(), encoder.inputs(), intro.clientOptions());
        } else {
            out.printf(Locale.ROOT, "  ./eddy admin create %s --type mlp --param inputs=%d --param outputs=%d %s%n",
                    intro.model(), encoder.inputs(), encoder.outputs(), intro.clientOptions());
        }
    }

    /** The first few names, then how many more. */
    private static String listed(final List<String> names) {
        if (names.size() <= LISTED) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, LISTED)) + ", ... (" + (names.size() - LISTED) + " more)";
    }

    /** What the intro says besides the file: where the events go, how fast, and the client options. */
    record ReplayIntro(PrintStream out, String model, String target, String rate, String clientOptions) {
    }
}
