package io.eddy.connectors.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArffTableTest {
    private static final String HEADER = "% the classic\n"
            + "@RELATION 'iris data'\n"
            + "\n"
            + "@attribute sepal real\n"
            + "@Attribute 'petal width' NUMERIC % in cm\n"
            + "@attribute count integer\n"
            + "@attribute note string\n"
            + "@attribute class {Iris-setosa, 'Iris versicolor',\"Iris, virginica\"}\n"
            + "@data\n";

    @TempDir
    Path dir;

    @Test
    void shouldReadTheHeaderAndDenseRowsWithQuotesCommentsAndMissingValues() throws IOException {
        final ArffTable table = open("iris.arff", HEADER
                + "5.1, 0.2, 3, 'a \\'quoted\\' note', Iris-setosa\n"
                + "% a comment between rows\n"
                + "\n"
                + "?,1.3,?,'?',\"Iris, virginica\" % trailing comment\n");
        assertEquals("iris data", table.relation());
        final List<Column> columns = table.columns();
        assertEquals(List.of("sepal", "petal width", "count", "note", "class"),
                columns.stream().map(Column::name).toList());
        assertEquals(List.of(Column.Type.NUMERIC, Column.Type.NUMERIC, Column.Type.NUMERIC, Column.Type.TEXT,
                Column.Type.NOMINAL), columns.stream().map(Column::type).toList());
        assertEquals(List.of("Iris-setosa", "Iris versicolor", "Iris, virginica"), columns.get(4).values());
        try (RowCursor rows = table.rows()) {
            assertTrue(rows.next());
            final Row first = rows.row();
            assertEquals(5.1, first.value(0));
            assertEquals(3.0, first.value(2));
            assertEquals("a 'quoted' note", first.text(3));
            assertEquals(0.0, first.value(4));
            assertEquals(10, first.line());
            assertTrue(rows.next());
            final Row second = rows.row();
            assertTrue(second.missing(0));
            assertTrue(second.missing(2));
            assertEquals("?", second.text(3), "a quoted ? is a value");
            assertEquals(2.0, second.value(4));
            assertEquals(13, second.line());
            assertEquals(1, second.index());
            assertFalse(rows.next());
        }
    }

    @Test
    void shouldFillWhatASparseRowLeavesOutWithZeroOrTheFirstNominalValue() throws IOException {
        final ArffTable table = open("sparse.arff", "@relation s\n@attribute a numeric\n@attribute b numeric\n"
                + "@attribute c {x,y,z}\n@attribute d numeric\n@data\n{1 2.5, 2 z}\n{ }\n{3 ?, 0 -1}\n");
        try (RowCursor rows = table.rows()) {
            assertTrue(rows.next());
            assertEquals(List.of(0.0, 2.5, 2.0, 0.0), values(rows.row(), 4));
            assertTrue(rows.next());
            assertEquals(List.of(0.0, 0.0, 0.0, 0.0), values(rows.row(), 4));
            assertEquals("x", rows.row().text(2));
            assertTrue(rows.next());
            assertEquals(-1.0, rows.row().value(0));
            assertTrue(rows.row().missing(3));
            assertFalse(rows.next());
        }
    }

    @Test
    void shouldRefuseDatesAndUnknownTypesInTheHeader() throws IOException {
        assertOpenError("date.arff", "@relation r\n@attribute when date 'yyyy-MM-dd'\n@data\n", 2,
                "attribute 'when' is a date, which is not supported: write it as a number (e.g. seconds since 1970) "
                        + "or leave it out");
        assertOpenError("type.arff", "@relation r\n% c\n@attribute x float\n@data\n", 3,
                "unknown type 'float' of attribute 'x': expected numeric, real, integer, string, date or {values}");
        assertOpenError("nodata.arff", "@relation r\n@attribute x numeric\n", 2,
                "no @data line: the file ends in its header");
        assertOpenError("junk.arff", "@relation r\nx numeric\n", 2,
                "expected @relation, @attribute or @data, found 'x'");
        assertOpenError("twice.arff", "@relation r\n@attribute x numeric\n@attribute x {a}\n@data\n", 3,
                "attribute 'x' is declared twice");
    }

    @Test
    void shouldReportMalformedRowsWithTheirLine() throws IOException {
        final String header = "@relation r\n@attribute x numeric\n@attribute c {a,b}\n@data\n";
        assertRowError("count.arff", header + "1,a\n2\n", 6, "expected 2 values, one per @attribute, found 1");
        assertRowError("nominal.arff", header + "1,a\n\n2,c\n", 7, "'c' is not a value of attribute 'c' {a, b}");
        assertRowError("number.arff", header + "one,a\n", 5, "'one' is not a number (attribute 'x' is numeric)");
        assertRowError("nan.arff", header + "NaN,a\n", 5, "'NaN' (attribute 'x') is not a finite number (as a "
                + "32-bit float)");
        assertRowError("quote.arff", header + "1,'a\n", 5, "unterminated quote: ' is never closed");
        assertRowError("index.arff", header + "{2 1}\n", 5, "sparse entry '2 1': attribute index 2 is not in 0..1");
    }

    private static List<Double> values(final Row row, final int columns) {
        return java.util.stream.IntStream.range(0, columns).mapToObj(row::value).toList();
    }

    private void assertOpenError(final String name, final String content, final long line, final String reason)
            throws IOException {
        final Path file = write(name, content);
        final MalformedTableException error = assertThrows(MalformedTableException.class, () -> ArffTable.open(file));
        assertEquals(file + ":" + line + ": " + reason, error.getMessage());
    }

    private void assertRowError(final String name, final String content, final long line, final String reason)
            throws IOException {
        final ArffTable table = open(name, content);
        try (RowCursor rows = table.rows()) {
            final MalformedTableException error = assertThrows(MalformedTableException.class, () -> {
                while (rows.next()) {
                    // read up to the malformed row
                }
            });
            assertEquals(table.path() + ":" + line + ": " + reason, error.getMessage());
        }
    }

    private ArffTable open(final String name, final String content) throws IOException {
        return ArffTable.open(write(name, content));
    }

    private Path write(final String name, final String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }
}
