package io.eddy.ops.cli;

/** Port options, checked before anything starts: a bad one is a usage error that names the option. */
final class Ports {
    private static final int LARGEST = 65_535;

    private Ports() {
    }

    /** {@code port} when it is 0 (any free port, or off where the option says so) to 65535. */
    static int check(final String option, final int port) {
        if (port < 0 || port > LARGEST) {
            throw new IllegalArgumentException(option + " must be a port from 0 to " + LARGEST + ", not " + port);
        }
        return port;
    }
}
