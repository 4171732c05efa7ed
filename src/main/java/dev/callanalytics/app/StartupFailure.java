package dev.callanalytics.app;

/**
 * A failure to start that the operator can fix (database unreachable, port taken, bad
 * setting): the command line prints its message as one line on stderr and exits non-zero.
 */
public final class StartupFailure extends RuntimeException {

    public StartupFailure(String message) {
        super(message);
    }
}
