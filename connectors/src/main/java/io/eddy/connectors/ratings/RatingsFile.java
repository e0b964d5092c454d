package io.eddy.connectors.ratings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A rating log loaded into memory and sorted by time, for replaying real data (MovieLens, say) in the
 * order it happened.
 *
 * <p>Each line is {@code user item rating timestamp}, the four fields separated by tabs, commas or
 * {@code ::} (MovieLens {@code .dat} files); the first line that holds data decides which, for the
 * whole file. Fields are trimmed; CSV quoting is not supported. User and item are arbitrary non-empty
 * strings, kept as strings; the rating a float; the timestamp a whole number, seconds or ms, kept as
 * given. Blank lines and lines starting with {@code #} are skipped, and so is the first line when its
 * timestamp column is not a number (a header such as {@code userId,movieId,rating,timestamp}).
 *
 * <p>Rows are sorted stably by timestamp: rows with equal timestamps keep their order in the file. A
 * malformed line fails the load with an {@link IOException} naming the file, the line number and what
 * was wrong. Users' and items' strings are shared between rows, so a large log costs about a String
 * per distinct user and item plus 24 bytes per row. Immutable once loaded.
 */
public final class RatingsFile {
    private static final String[] SEPARATORS = {"::", "\t", ","};
    private static final int FIELDS = 4;
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    private final Path path;
    private final String separator;
    private final String[] users;
    private final String[] items;
    private final float[] ratings;
    private final long[] timestamps;
    private final int distinctUsers;
    private final int distinctItems;

    private RatingsFile(final Path path, final String separator, final String[] users, final String[] items,
                        final float[] ratings, final long[] timestamps, final int distinctUsers,
                        final int distinctItems) {
        this.path = path;
        this.separator = separator;
        this.users = users;
        this.items = items;
        this.ratings = ratings;
        this.timestamps = timestamps;
        this.distinctUsers = distinctUsers;
        this.distinctItems = distinctItems;
    }

    /**
     * Reads and sorts the file (UTF-8).
     *
     * @throws IOException when it cannot be read or a line is malformed ({@code path:line: what})
     */
    public static RatingsFile load(final Path path) throws IOException {
        final Map<String, String> userNames = new HashMap<>();
        final Map<String, String> itemNames = new HashMap<>();
        String[] users = new String[1024];
        String[] items = new String[1024];
        float[] ratings = new float[1024];
        long[] timestamps = new long[1024];
        int size = 0;
        String separator = null;
        boolean firstContentLine = true;
        final String[] fields = new String[FIELDS];
        // bytes that are not UTF-8 fail the read (U+FFFD itself is a character like any other); the reader
        // decodes ahead of the line it returns, so the line that holds them is found afterwards
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(path),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)))) {
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (separator == null) {
                    separator = detectSeparator(line);
                    if (separator == null) {
                        throw error(path, lineNumber, "no separator: expected user, item, rating and timestamp "
                                + "separated by tabs, commas or '::'");
                    }
                }
                final int found = split(line, separator, fields);
                if (found != FIELDS) {
                    throw error(path, lineNumber, "expected " + FIELDS + " fields (user, item, rating, timestamp) "
                            + "separated by " + describe(separator) + ", found " + found);
                }
                final boolean header = firstContentLine;
                firstContentLine = false;
                final long timestamp;
                try {
                    timestamp = Long.parseLong(fields[3]);
                } catch (final NumberFormatException e) {
                    if (header && !readAsNumber(fields[3])) {
                        continue;
                    }
                    throw error(path, lineNumber, "timestamp '" + fields[3] + "' is not a whole number");
                }
                if (fields[0].isEmpty() || fields[1].isEmpty()) {
                    throw error(path, lineNumber, "empty " + (fields[0].isEmpty() ? "user" : "item"));
                }
                if (!isNumber(fields[2])) {
                    throw error(path, lineNumber, "rating '" + fields[2] + "' is not a "
                            + (fields[2].matches("[+-]?(NaN|Infinity)") ? "finite number" : "number"));
                }
                final float rating = Float.parseFloat(fields[2]);
                if (!Float.isFinite(rating)) {
                    throw error(path, lineNumber, "rating '" + fields[2] + "' is not a finite number");
                }
                if (size == ratings.length) {
                    final int capacity = size * 2;
                    users = Arrays.copyOf(users, capacity);
                    items = Arrays.copyOf(items, capacity);
                    ratings = Arrays.copyOf(ratings, capacity);
                    timestamps = Arrays.copyOf(timestamps, capacity);
                }
                users[size] = userNames.computeIfAbsent(fields[0], name -> name);
                items[size] = itemNames.computeIfAbsent(fields[1], name -> name);
                ratings[size] = rating;
                timestamps[size] = timestamp;
                size++;
            }
        } catch (final CharacterCodingException e) {
            throw error(path, firstLineNotUtf8(path), "not UTF-8 text; save the file as UTF-8");
        }
        final int[] order = stableOrderByTime(timestamps, size);
        final String[] sortedUsers = new String[size];
        final String[] sortedItems = new String[size];
        final float[] sortedRatings = new float[size];
        final long[] sortedTimestamps = new long[size];
        for (int row = 0; row < size; row++) {
            final int from = order[row];
            sortedUsers[row] = users[from];
            sortedItems[row] = items[from];
            sortedRatings[row] = ratings[from];
            sortedTimestamps[row] = timestamps[from];
        }
        return new RatingsFile(path, separator, sortedUsers, sortedItems, sortedRatings, sortedTimestamps,
                userNames.size(), itemNames.size());
    }

    /** The file it was loaded from. */
    public Path path() {
        return path;
    }

    /** The separator found, {@code "\t"}, {@code ","} or {@code "::"}; null for a file without rows. */
    public String separator() {
        return separator;
    }

    /** Number of rows. */
    public int size() {
        return ratings.length;
    }

    /** Distinct users over all rows. */
    public int distinctUsers() {
        return distinctUsers;
    }

    /** Distinct items over all rows. */
    public int distinctItems() {
        return distinctItems;
    }

    /** The user of the row, in time order from 0. */
    public String user(final int row) {
        return users[row];
    }

    /** The item of the row. */
    public String item(final int row) {
        return items[row];
    }

    /** The rating of the row, as given. */
    public float rating(final int row) {
        return ratings[row];
    }

    /** The timestamp of the row, as given (seconds or ms); non-decreasing with the row. */
    public long timestamp(final int row) {
        return timestamps[row];
    }

    private static String detectSeparator(final String line) {
        for (final String separator : SEPARATORS) {
            if (line.contains(separator)) {
                return separator;
            }
        }
        return null;
    }

    /** Splits into trimmed fields, keeping the first {@code fields.length}; returns how many there are. */
    private static int split(final String line, final String separator, final String[] fields) {
        int found = 0;
        int from = 0;
        while (true) {
            final int at = line.indexOf(separator, from);
            if (found < fields.length) {
                fields[found] = (at < 0 ? line.substring(from) : line.substring(from, at)).strip();
            }
            found++;
            if (at < 0) {
                return found;
            }
            from = at + separator.length();
        }
    }

    /**
     * A decimal number as rating logs write them: not the Java literals Float.parseFloat also takes ({@code 5f},
     * {@code 0x1p2}), nor NaN or Infinity.
     */
    private static boolean isNumber(final String text) {
        return DECIMAL.matcher(text).matches();
    }

    /**
     * Whether Java reads {@code text} as a number, Infinity and {@code 0x10} included: a first line whose
     * timestamp is one of those is a bad row to report, not a header to skip.
     */
    private static boolean readAsNumber(final String text) {
        try {
            Double.parseDouble(text);
            return true;
        } catch (final NumberFormatException e) {
            return false;
        }
    }

    private static String describe(final String separator) {
        return switch (separator) {
            case "\t" -> "tabs";
            case "," -> "commas";
            default -> "'" + separator + "'";
        };
    }

    /**
     * The number of the first line of {@code path} whose bytes are not UTF-8, counting lines as the reader does:
     * ended by \n, \r or \r\n (neither byte occurs inside a UTF-8 character).
     */
    private static int firstLineNotUtf8(final Path path) throws IOException {
        final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        final byte[] bytes = Files.readAllBytes(path);
        int line = 1;
        int start = 0;
        for (int at = 0; at <= bytes.length; at++) {
            if (at == bytes.length || bytes[at] == '\n' || bytes[at] == '\r') {
                try {
                    decoder.reset().decode(ByteBuffer.wrap(bytes, start, at - start));
                } catch (final CharacterCodingException e) {
                    return line;
                }
                if (at + 1 < bytes.length && bytes[at] == '\r' && bytes[at + 1] == '\n') {
                    at++;
                }
                line++;
                start = at + 1;
            }
        }
        return line - 1;
    }

    private static IOException error(final Path path, final int line, final String what) {
        return new IOException(path + ":" + line + ": " + what);
    }

    /** Row indices sorted by timestamp, ties in row order: a merge sort, skipped when already in order. */
    static int[] stableOrderByTime(final long[] timestamps, final int size) {
        int[] order = new int[size];
        for (int row = 0; row < size; row++) {
            order[row] = row;
        }
        boolean sorted = true;
        for (int row = 1; row < size && sorted; row++) {
            sorted = timestamps[row - 1] <= timestamps[row];
        }
        if (sorted) {
            return order;
        }
        int[] buffer = new int[size];
        for (int width = 1; width < size; width *= 2) {
            for (int left = 0; left < size; left += 2 * width) {
                final int middle = Math.min(left + width, size);
                final int right = Math.min(left + 2 * width, size);
                int a = left;
                int b = middle;
                int out = left;
                while (a < middle && b < right) {
                    // <= takes the left run first on ties: stable
                    buffer[out++] = timestamps[order[a]] <= timestamps[order[b]] ? order[a++] : order[b++];
                }
                while (a < middle) {
                    buffer[out++] = order[a++];
                }
                while (b < right) {
                    buffer[out++] = order[b++];
                }
            }
            final int[] swap = order;
            order = buffer;
            buffer = swap;
        }
        return order;
    }
}
