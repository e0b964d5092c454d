package io.eddy.connectors.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DenseEventEncoderTest {
    @TempDir
    Path dir;

    @Test
    void shouldOneHotNominalInputsAndIndexANominalLabelInOrderOfFirstAppearance() throws IOException {
        final Table table = csv("a.csv", "width,color,species\n1.5,red,cat\n2,blue,dog\n0.25,red,dog\n"
                + ",red,cat\n3,green,\n");
        final DenseEventEncoder encoder = new DenseEventEncoder(table, 2, -1,
                DenseEventEncoder.Task.CLASSIFICATION, 0);
        assertEquals(4, encoder.inputs());
        assertEquals(2, encoder.outputs());
        assertEquals(List.of("width", "color=red", "color=blue", "color=green"), encoder.inputNames());
        assertEquals(List.of(
                "{\"id\":\"r0\",\"x\":[1.5,1,0,0],\"label\":0}",
                "{\"id\":\"r1\",\"x\":[2,0,1,0],\"label\":1}",
                "{\"id\":\"r2\",\"x\":[0.25,1,0,0],\"label\":1}"), events(table, encoder),
                "the rows with a missing input or label make no event");
        assertNull(encoder.key());
    }

    @Test
    void shouldKeyByTheKeyColumnAndWriteARegressionTarget() throws IOException {
        final Table table = arff("r.arff", "@relation r\n@attribute id string\n@attribute c {lo,hi}\n"
                + "@attribute price numeric\n@data\n'u \"1\"',hi,3.75\nu2,lo,-2\n?,lo,1\n");
        final DenseEventEncoder encoder = new DenseEventEncoder(table, 2, 0, DenseEventEncoder.Task.REGRESSION, 0);
        assertEquals(2, encoder.inputs());
        assertEquals(1, encoder.outputs());
        assertEquals(List.of("{\"id\":\"u \\\"1\\\"\",\"x\":[0,1],\"y\":[3.75]}",
                "{\"id\":\"u2\",\"x\":[1,0],\"y\":[-2]}"), events(table, encoder), "a row without a key is skipped");
        assertEquals("u2", encoder.key());
    }

    @Test
    void shouldTakeAWholeNumberLabelAsTheClass() throws IOException {
        final Table table = csv("d.csv", "x,digit\n0.5,3\n1,0\n2,2.5\n");
        final DenseEventEncoder encoder = new DenseEventEncoder(table, 1, -1, DenseEventEncoder.Task.CLASSIFICATION,
                4);
        final LabelStats stats = LabelStats.scan(table, 1);
        assertEquals(3, stats.rows());
        assertEquals(3.0, stats.max());
        assertEquals("2.5", stats.notAClass());
        assertEquals(4, stats.notAClassLine());
        try (RowCursor rows = table.rows()) {
            rows.next();
            encoder.encode(rows.row());
            assertEquals("{\"id\":\"r0\",\"x\":[0.5],\"label\":3}",
                    new String(encoder.value(), StandardCharsets.UTF_8));
            rows.next();
            rows.next();
            final MalformedTableException error = assertThrows(MalformedTableException.class,
                    () -> encoder.encode(rows.row()));
            assertEquals(table.path() + ":4: label '2.5' is not a class: expected a whole number from 0 to 3",
                    error.getMessage());
        }
    }

    @Test
    void shouldRefuseTextInputsANominalRegressionLabelAndALabelThatIsTheKey() throws IOException {
        final Table table = arff("t.arff", "@relation t\n@attribute note string\n@attribute c {a,b}\n@data\nx,a\n");
        final IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> new DenseEventEncoder(table, 1, -1, DenseEventEncoder.Task.CLASSIFICATION, 0));
        assertEquals("column 'note' is text (an ARFF string, or more than 10000 distinct values in a CSV), so it "
                + "cannot be an input: make it the key, or leave it out of the file", text.getMessage());
        final IllegalArgumentException regression = assertThrows(IllegalArgumentException.class,
                () -> new DenseEventEncoder(table, 1, 0, DenseEventEncoder.Task.REGRESSION, 0));
        assertEquals("regression needs a numeric label, but column 'c' is nominal; use classification",
                regression.getMessage());
        final IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> new DenseEventEncoder(table, 1, 1, DenseEventEncoder.Task.CLASSIFICATION, 0));
        assertEquals("column 'c' cannot be both the label and the key", both.getMessage());
    }

    private static List<String> events(final Table table, final DenseEventEncoder encoder) throws IOException {
        final List<String> events = new ArrayList<>();
        try (RowCursor rows = table.rows()) {
            while (rows.next()) {
                if (encoder.encode(rows.row())) {
                    events.add(new String(encoder.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return events;
    }

    private Table csv(final String name, final String content) throws IOException {
        return CsvTable.open(Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8), ',');
    }

    private Table arff(final String name, final String content) throws IOException {
        return ArffTable.open(Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8));
    }
}
