package io.eddy.connectors.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadQuotedFieldsEscapedQuotesAndLineBreaksWithCrlfOrLf() throws IOException {
        final CsvTable table = open("q.csv", ',', "\uFEFFname,size,\"note, long\"\r\n"
                + "\"Smith, J\",1.5,\"said \"\"hi\"\"\"\r\n"
                + "plain , 2 ,\"two\nlines\"\n"
                + "\n"
                + "  \"spaced\"  ,3e2,\"\"\n");
        assertEquals(List.of("name", "size", "note, long"), table.columns().stream().map(Column::name).toList());
        final List<String[]> texts = new ArrayList<>();
        final List<Long> lines = new ArrayList<>();
        try (RowCursor rows = table.rows()) {
            while (rows.next()) {
                final Row row = rows.row();
                texts.add(new String[] {row.text(0), row.text(1), row.text(2)});
                lines.add(row.line());
            }
        }
        assertArrayEquals(new String[] {"Smith, J", "1.5", "said \"hi\""}, texts.get(0));
        assertArrayEquals(new String[] {"plain", "2", "two\nlines"}, texts.get(1));
        assertArrayEquals(new String[] {"spaced", "3e2", null}, texts.get(2), "an empty field is missing");
        assertEquals(List.of(2L, 3L, 6L), lines, "the line where each record starts; blank lines skipped");
    }

    @Test
    void shouldTypeColumnsNumericWhenEveryValueIsANumberElseNominalInOrderOfFirstAppearance() throws IOException {
        final CsvTable table = open("t.csv", ',', "a,b,c,d\n1,red,3,\n2.5,blue,x,\n-1e-3,red,3,\n");
        final List<Column> columns = table.columns();
        assertEquals(Column.Type.NUMERIC, columns.get(0).type());
        assertEquals(Column.Type.NOMINAL, columns.get(1).type());
        assertEquals(List.of("red", "blue"), columns.get(1).values());
        assertEquals(List.of("3", "x"), columns.get(2).values(), "one value that is not a number makes it nominal");
        assertEquals(Column.Type.NUMERIC, columns.get(3).type(), "a column of missing values only");
        try (RowCursor rows = table.rows()) {
            assertTrue(rows.next());
            assertEquals(1.0, rows.row().value(0));
            assertEquals(0.0, rows.row().value(1));
            assertTrue(rows.row().missing(3));
            assertTrue(rows.next());
            assertEquals(2.5, rows.row().value(0));
            assertEquals(1.0, rows.row().value(1));
            assertEquals(1.0, rows.row().value(2));
            assertEquals(1L, rows.row().index());
        }
    }

    @Test
    void shouldTakeSemicolonsAndTabs() throws IOException {
        final CsvTable semicolons = open("s.csv", ';', "a;b\n1,5;x\n");
        assertEquals(List.of("1,5"), semicolons.columns().get(0).values(), "a comma is text with ';'");
        final CsvTable tabs = open("t.tsv", '\t', "a\tb\n1\t\"x\ty\"\n");
        try (RowCursor rows = tabs.rows()) {
            assertTrue(rows.next());
            assertEquals("x\ty", rows.row().text(1));
            assertFalse(rows.next());
        }
    }

    @Test
    void shouldMakeAColumnOfTooManyDistinctValuesText() throws IOException {
        final StringBuilder csv = new StringBuilder("id,v\n");
        for (int i = 0; i <= CsvTable.MAX_NOMINAL_VALUES; i++) {
            csv.append("user").append(i).append(",1\n");
        }
        final CsvTable table = open("ids.csv", ',', csv.toString());
        assertEquals(Column.Type.TEXT, table.columns().get(0).type());
        assertEquals(Column.Type.NUMERIC, table.columns().get(1).type());
    }

    @Test
    void shouldReportTheFileLineAndReasonOfMalformedInput() throws IOException {
        assertError("count.csv", "a,b\n1,2\n\n3\n", 4, "expected 2 fields as the header names, found 1");
        assertError("quote.csv", "a,b\n1,2\n3,\"open\n4,5\n", 3,
                "unterminated quoted field: the quote opened on this line is never closed");
        assertError("after.csv", "a,b\n1,\"x\"y\n", 2, "'y' after the closing quote of a field; a quote inside a "
                + "quoted field is written twice (\"\")");
        assertError("huge.csv", "a,b\n1,2\n1e39,3\n", 3, "'1e39' in column 'a' is not a finite number (as a 32-bit "
                + "float)");
        assertError("twice.csv", "a,a\n1,2\n", 1, "column name 'a' appears twice in the header");
        assertError("empty.csv", "\n", 1, "no header line: the first line names the columns");
        final Path bytes = Files.write(dir.resolve("latin1.csv"), new byte[] {'a', '\n', (byte) 0xE9, '\n'});
        final MalformedTableException notUtf8 = assertThrows(MalformedTableException.class,
                () -> CsvTable.open(bytes, ','));
        assertTrue(notUtf8.reason().startsWith("not UTF-8 text"), notUtf8.getMessage());
    }

    private void assertError(final String name, final String content, final long line, final String reason)
            throws IOException {
        final Path file = Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
        final MalformedTableException error = assertThrows(MalformedTableException.class,
                () -> CsvTable.open(file, ','));
        assertEquals(file + ":" + line + ": " + reason, error.getMessage());
        assertEquals(line, error.line());
    }

    private CsvTable open(final String name, final char separator, final String content) throws IOException {
        return CsvTable.open(Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8), separator);
    }
}
