package io.eddy.connectors.table;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens table files as strict UTF-8: bytes that are not UTF-8 fail the read instead of becoming U+FFFD. */
final class TextFiles {
    static final char BYTE_ORDER_MARK = '\uFEFF';

    private TextFiles() {
    }

    static BufferedReader open(final Path path) throws IOException {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(path),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
    }

    /** The error for bytes that are not UTF-8; the reader decodes ahead, so the line is where it was. */
    static MalformedTableException notUtf8(final Path path, final long line) {
        return new MalformedTableException(path, line, "not UTF-8 text (at or after this line); save the file as "
                + "UTF-8");
    }
}
