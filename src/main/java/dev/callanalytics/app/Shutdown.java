package dev.callanalytics.app;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Logger;

/**
 * The one shutdown sequence of the process, run on SIGTERM, Ctrl-C or the end of a command: the
 * steps in the reverse order of their registration, so that what was started last stops first.
 * For the server: stop taking requests and let those in flight finish (up to the grace period),
 * then close the pools, then stop the embedded PostgreSQL. One hook, so that the three can never
 * race (PostgreSQL stopping under requests still being answered).
 */
public final class Shutdown {

    private static final Logger LOG = Logger.getLogger(Shutdown.class.getName());

    private final Deque<Step> steps = new ArrayDeque<>();
    private boolean done;

    private record Step(String name, Runnable action) {
    }

    /** A sequence run by a JVM shutdown hook. */
    public static Shutdown onExit() {
        var shutdown = new Shutdown();
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown::run, "call-analytics-shutdown"));
        return shutdown;
    }

    /** Adds a step, to run before every step added earlier. */
    public synchronized void then(String name, Runnable action) {
        steps.push(new Step(name, action));
    }

    /** Runs the steps once; a step that fails is logged and the next one still runs. */
    public synchronized void run() {
        if (done) {
            return;
        }
        done = true;
        while (!steps.isEmpty()) {
            var step = steps.pop();
            try {
                step.action().run();
                LOG.fine(() -> "shutdown: " + step.name() + " closed");
            } catch (RuntimeException e) {
                // standard error, not the log: the JVM's own hook may have closed the log handlers
                System.err.println("call-analytics: shutdown: " + step.name() + " failed: " + e);
            }
        }
    }
}
