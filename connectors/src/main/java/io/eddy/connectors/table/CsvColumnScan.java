package io.eddy.connectors.table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Decides one CSV column's type from all its values: numeric when every non-empty value is a decimal
 * number, otherwise nominal with its distinct values in order of first appearance, or text when it has
 * more than {@link CsvTable#MAX_NOMINAL_VALUES} of them. Keeps at most that many distinct values, so a
 * column of unique ids costs little.
 */
final class CsvColumnScan {
    private final String name;
    private boolean numeric = true;
    private Set<String> distinct = new LinkedHashSet<>();
    private String nonFinite;
    private long nonFiniteLine;

    CsvColumnScan(final String name) {
        this.name = name;
    }

    void add(final String value, final long line) {
        if (value.isEmpty()) {
            return; // missing
        }
        if (numeric) {
            if (!Numbers.isDecimal(value)) {
                numeric = false;
            } else if (nonFinite == null && !Numbers.finiteAsFloat(Double.parseDouble(value))) {
                nonFinite = value;
                nonFiniteLine = line;
            }
        }
        if (distinct != null && distinct.add(value) && distinct.size() > CsvTable.MAX_NOMINAL_VALUES) {
            distinct = null; // a nominal column this large becomes text: no need to keep them
        }
    }

    /**
     * The column it saw.
     *
     * @throws MalformedTableException when a numeric column holds a number too large for a 32-bit float
     */
    Column column(final Path path) throws MalformedTableException {
        if (numeric) {
            if (nonFinite != null) {
                throw new MalformedTableException(path, nonFiniteLine, "'" + nonFinite + "' in column '" + name
                        + "' is not a finite number (as a 32-bit float)");
            }
            return Column.numeric(name);
        }
        return distinct == null ? Column.text(name) : Column.nominal(name, new ArrayList<>(distinct));
    }
}
