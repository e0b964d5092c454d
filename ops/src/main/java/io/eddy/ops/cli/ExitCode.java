package io.eddy.ops.cli;

import io.eddy.ops.admin.NoEngineException;
import io.eddy.ops.kafka.KafkaUnreachableException;
import picocli.CommandLine;

/**
 * The exit codes of every {@code eddy} command, defined once so that scripts can rely on them;
 * {@link Main}'s help footer and the README show the same table.
 */
public final class ExitCode {
    /** The command did what it was asked. */
    public static final int OK = 0;
    /** The operation failed: an admin command's error reply, an unknown model, a failed send, bad data. */
    public static final int FAILED = 1;
    /** The command line is wrong: an unknown option, a missing or malformed value, options that conflict. */
    public static final int USAGE = 2;
    /** Kafka could not be reached within the timeout (wrong address, broker down, network). */
    public static final int UNREACHABLE = 3;
    /** Kafka answered but no engine did in time: no reply to an admin command, or no admin topics at all. */
    public static final int NO_ENGINE = 4;

    private ExitCode() {
    }

    /** The code for a failure that a command threw. */
    static int of(final Throwable error) {
        if (error instanceof CommandLine.ParameterException || error instanceof IllegalArgumentException) {
            return USAGE;
        }
        if (error instanceof KafkaUnreachableException) {
            return UNREACHABLE;
        }
        if (error instanceof NoEngineException) {
            return NO_ENGINE;
        }
        return FAILED;
    }
}
