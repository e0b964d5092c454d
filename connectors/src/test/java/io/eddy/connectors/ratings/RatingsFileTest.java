package io.eddy.connectors.ratings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RatingsFileTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadTabSeparatedRowsInTimeOrder() throws IOException {
        final RatingsFile file = load("u.data", "196\t242\t3\t881250949\n186\t302\t3.5\t891717742\n"
                + "22\t377\t1\t878887116\n");
        assertEquals("\t", file.separator());
        assertEquals(3, file.size());
        assertRow(file, 0, "22", "377", 1f, 878887116L);
        assertRow(file, 1, "196", "242", 3f, 881250949L);
        assertRow(file, 2, "186", "302", 3.5f, 891717742L);
        assertEquals(3, file.distinctUsers());
        assertEquals(3, file.distinctItems());
    }

    @Test
    void shouldSkipACsvHeaderCommentsAndBlankLinesAndKeepStringsAsGiven() throws IOException {
        final RatingsFile file = load("ratings.csv", "\uFEFF# exported 2024-01-01\n"
                + "userId,movieId,rating,timestamp\r\n"
                + "alice smith, café ,4.5,1700000000000\r\n"
                + "\n"
                + "   \n"
                + "# a comment between rows\n"
                + "bob,tt0111161,0.5,1700000000001\r\n"
                + "alice smith,tt0111161,5,1700000000002\r\n");
        assertEquals(",", file.separator());
        assertEquals(3, file.size());
        assertRow(file, 0, "alice smith", "café", 4.5f, 1_700_000_000_000L);
        assertRow(file, 1, "bob", "tt0111161", 0.5f, 1_700_000_000_001L);
        assertRow(file, 2, "alice smith", "tt0111161", 5f, 1_700_000_000_002L);
        assertEquals(2, file.distinctUsers());
        assertEquals(2, file.distinctItems());
    }

    @Test
    void shouldReadMovieLensDatFiles() throws IOException {
        final RatingsFile file = load("ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n"
                + "2::1357::5::978298709\n");
        assertEquals("::", file.separator());
        assertRow(file, 0, "2", "1357", 5f, 978298709L);
        assertRow(file, 1, "1", "1193", 5f, 978300760L);
        assertRow(file, 2, "1", "661", 3f, 978302109L);
    }

    @Test
    void shouldKeepFileOrderAmongEqualTimestamps() throws IOException {
        final RatingsFile file = load("ties.tsv", "a\tx\t1\t20\nb\tx\t2\t10\nc\tx\t3\t20\nd\tx\t4\t10\n"
                + "e\tx\t5\t5\nf\tx\t1\t20\n");
        final String[] users = new String[file.size()];
        for (int row = 0; row < file.size(); row++) {
            users[row] = file.user(row);
        }
        assertArrayEquals(new String[] {"e", "b", "d", "a", "c", "f"}, users);
    }

    @Test
    void shouldSortLargeFilesStablyLikeTheLibrarySort() {
        final SplittableRandom random = new SplittableRandom(5);
        for (final int size : new int[] {0, 1, 2, 3, 17, 1_000, 4_097}) {
            final long[] timestamps = new long[size];
            final List<Integer> expected = new ArrayList<>();
            for (int row = 0; row < size; row++) {
                timestamps[row] = random.nextInt(Math.max(1, size / 4)); // many ties
                expected.add(row);
            }
            expected.sort(Comparator.comparingLong(row -> timestamps[row])); // List.sort is stable
            final int[] order = RatingsFile.stableOrderByTime(timestamps, size);
            assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), order, "size " + size);
        }
    }

    @Test
    void shouldNameTheFileTheLineAndTheFaultOfABadLine() throws IOException {
        assertFault("rating.tsv", "u\ti\t4\t1\n# note\nu\ti\tfive\t2\n", ":3: rating 'five' is not a number");
        assertFault("fields.csv", "u,i,4,1\nu,i,4\n", ":2: expected 4 fields (user, item, rating, timestamp) "
                + "separated by commas, found 3");
        assertFault("extra.dat", "u::i::4::1::x\n", ":1: expected 4 fields (user, item, rating, timestamp) "
                + "separated by '::', found 5");
        // Only the first line may be a header: later, a non-numeric timestamp is an error.
        assertFault("late-header.csv", "u,i,4,1\nuser,item,rating,timestamp\n",
                ":2: timestamp 'timestamp' is not a whole number");
        assertFault("seconds.csv", "u,i,4,1.5\n", ":1: timestamp '1.5' is not a whole number");
        assertFault("empty-user.csv", "user,item,rating,time\n,i,4,1\n", ":2: empty user");
        assertFault("nan.csv", "u,i,NaN,1\n", ":1: rating 'NaN' is not a finite number");
        assertFault("spaces.txt", "u i 4 1\n", ":1: no separator");
        final Path latin1 = Files.write(dir.resolve("latin1.csv"), "u,i,4,1\nJos\u00e9,i,4,2\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(latin1 + ":2: not UTF-8 text; save the file as UTF-8",
                assertThrows(IOException.class, () -> RatingsFile.load(latin1)).getMessage());
        // far past the reader's first buffer, the line is still named
        final Path late = Files.write(dir.resolve("late.csv"), ("u,i,4,1\n".repeat(5_000) + "Jos\u00e9,i,4,2\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(late + ":5001: not UTF-8 text; save the file as UTF-8",
                assertThrows(IOException.class, () -> RatingsFile.load(late)).getMessage());
        // with lines ended by \r alone, as the reader counts them
        final Path classicMac = Files.write(dir.resolve("cr.csv"), ("u,i,4,1\ru,i,4,2\rJos\u00e9,i,4,3\r")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(classicMac + ":3: not UTF-8 text; save the file as UTF-8",
                assertThrows(IOException.class, () -> RatingsFile.load(classicMac)).getMessage());
        // a first line whose timestamp Java reads as a number is a bad row, not a header
        assertFault("infinite.csv", "u,i,4,Infinity\n", ":1: timestamp 'Infinity' is not a whole number");
        // Java's own number literals are not ratings: Float.parseFloat took these as 5, 4.5 and 4
        assertFault("suffix.csv", "u,i,5f,1\n", ":1: rating '5f' is not a number");
        assertFault("double.csv", "u,i,4.5d,1\n", ":1: rating '4.5d' is not a number");
        assertFault("hex.csv", "u,i,0x1p2,1\n", ":1: rating '0x1p2' is not a number");
    }

    /** U+FFFD is a character of valid UTF-8 like any other (ids mangled upstream hold it): it loads. */
    @Test
    void shouldReadAValidUtf8FileWhoseIdsHoldTheReplacementCharacter() throws IOException {
        final RatingsFile file = load("fffd.csv", "u1,item\uFFFD1,4,1\nu2,i2,-3.5e0,2\n");
        assertEquals(2, file.size());
        assertEquals("item\uFFFD1", file.item(0));
        assertEquals(-3.5f, file.rating(1));
    }

    @Test
    void shouldLoadAFileWithoutRows() throws IOException {
        final RatingsFile file = load("empty.csv", "# nothing yet\n\nuser,item,rating,timestamp\n");
        assertEquals(0, file.size());
        assertEquals(0, file.distinctUsers());
        assertNull(load("blank.csv", "").separator());
    }

    private void assertFault(final String name, final String text, final String fault) throws IOException {
        final Path path = write(name, text);
        final IOException error = assertThrows(IOException.class, () -> RatingsFile.load(path));
        final String message = error.getMessage();
        assertEquals(path + fault, message.substring(0, Math.min(message.length(), (path + fault).length())),
                message);
    }

    private static void assertRow(final RatingsFile file, final int row, final String user, final String item,
                                  final float rating, final long timestamp) {
        assertEquals(user, file.user(row), "user of row " + row);
        assertEquals(item, file.item(row), "item of row " + row);
        assertEquals(rating, file.rating(row), "rating of row " + row);
        assertEquals(timestamp, file.timestamp(row), "timestamp of row " + row);
    }

    private RatingsFile load(final String name, final String text) throws IOException {
        final RatingsFile file = RatingsFile.load(write(name, text));
        assertEquals(dir.resolve(name), file.path());
        return file;
    }

    private Path write(final String name, final String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }
}
