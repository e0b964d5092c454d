package io.eddy.connectors.table;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Opens a CSV or ARFF file as a {@link Table}, the format named or taken from the file's extension. */
public final class TableFiles {
    public static final String CSV = "csv";
    public static final String ARFF = "arff";
    public static final List<String> FORMATS = List.of(CSV, ARFF);

    private TableFiles() {
    }

    /**
     * The format of {@code path} by its extension: {@code .arff} is ARFF; {@code .csv}, {@code .tsv} and
     * {@code .txt} are CSV.
     *
     * @throws IllegalArgumentException for any other extension
     */
    public static String formatOf(final Path path) {
        final String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".arff")) {
            return ARFF;
        }
        if (name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".txt")) {
            return CSV;
        }
        throw new IllegalArgumentException("cannot tell the format of " + path + " from its extension: name it with "
                + "--format csv or --format arff");
    }

    /** The separator a CSV file gets when none is named: a tab for {@code .tsv}, else a comma. */
    public static char defaultSeparator(final Path path) {
        return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".tsv") ? '\t' : ',';
    }

    /**
     * Opens {@code path} in {@code format} ({@link #CSV} reads the file through once, {@link #ARFF} its
     * header).
     *
     * @param separator a CSV file's separator
     */
    public static Table open(final Path path, final String format, final char separator) throws IOException {
        return switch (format) {
            case CSV -> CsvTable.open(path, separator);
            case ARFF -> ArffTable.open(path);
            default -> throw new IllegalArgumentException("unknown format '" + format + "'; known: "
                    + String.join(", ", FORMATS));
        };
    }
}
