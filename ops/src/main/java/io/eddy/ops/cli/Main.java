package io.eddy.ops.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code eddy} command line. */
@Command(name = "eddy", mixinStandardHelpOptions = true, version = "eddy 0.1.0",
        // every subcommand gets --help and --version, and prints the exit codes under its usage
        scope = CommandLine.ScopeType.INHERIT,
        description = "Eddy: a streaming online-learning engine on Apache Kafka.",
        footer = {"", "Exit codes:",
            "  0  success",
            "  1  the operation failed (an error reply, an unknown model, a failed send)",
            "  2  usage error (unknown option, missing or bad value, conflicting options)",
            "  3  Kafka unreachable within --timeout",
            "  4  no engine answered within --timeout"},
        subcommands = {
            BrokerCommand.class,
            EngineCommand.class,
            AdminCommand.class,
            TailCommand.class,
            DemoCommand.class,
            BenchCommand.class,
            EvalCommand.class,
            ReplayCommand.class,
        })
public final class Main implements Runnable {
    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Log at INFO instead of WARN, and show stack traces.")
    boolean verbose;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(final String[] args) {
        System.exit(execute(args));
    }

    /** Runs one command line and returns its exit code (see {@link ExitCode}), without exiting the JVM. */
    public static int execute(final String... args) {
        configureLogging(args);
        final CommandLine commandLine = new CommandLine(new Main());
        commandLine.setParameterExceptionHandler((error, ignoredArgs) -> {
            usageError(error.getCommandLine(), error.getMessage());
            return ExitCode.USAGE;
        });
        commandLine.setExecutionExceptionHandler((error, line, parsed) -> {
            final int code = ExitCode.of(error);
            if (code == ExitCode.USAGE) {
                usageError(line, error.getMessage());
            } else {
                line.getErr().println("eddy: " + error.getMessage());
            }
            if (isVerbose(args)) {
                error.printStackTrace(line.getErr());
            }
            return code;
        });
        return commandLine.execute(args);
    }

    /** One line saying what is wrong and one saying where the options are, instead of the whole usage. */
    private static void usageError(final CommandLine line, final String message) {
        line.getErr().println("eddy: " + message);
        line.getErr().println("Try './" + line.getCommandSpec().qualifiedName(" ") + " --help'.");
    }

    /** slf4j-simple reads its level once, when the first logger is made: set it before anything logs. */
    private static void configureLogging(final String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", isVerbose(args) ? "info" : "warn");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        if (!isVerbose(args)) {
            // Kafka's clients warn about routine things (unknown topics during creation, rebalances)
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        }
    }

    private static boolean isVerbose(final String[] args) {
        for (final String arg : args) {
            if (arg.equals("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
