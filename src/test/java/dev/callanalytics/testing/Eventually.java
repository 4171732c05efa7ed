package dev.callanalytics.testing;

import java.time.Duration;

/** Waits for a state of the server or the database that arrives on its own time: polled, and bounded. */
public final class Eventually {

    private static final Duration POLL = Duration.ofMillis(50);

    private Eventually() {
    }

    /** A condition that may throw (a server not up yet, a file not written yet). */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Whether {@code condition} held within {@code atMost}; polled every 50 ms. */
    public static boolean within(Duration atMost, Condition condition) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(POLL); // a state outside the test's thread; bounded by atMost
        }
        return true;
    }

    /** As {@link #within}, failing the test when the condition did not hold in time. */
    public static void await(Duration atMost, Condition condition) throws Exception {
        if (!within(atMost, condition)) {
            throw new AssertionError("not within " + atMost);
        }
    }
}
