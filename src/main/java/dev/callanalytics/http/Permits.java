package dev.callanalytics.http;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded resource (the connections of a pool, the import slots of an account) and the queue
 * in front of it, which tells busy from stuck. A caller that finds every permit taken waits while
 * permits keep coming back, at most a maximum wait; when none has come back for a stall window,
 * the holders are slow, and waiting longer would only hold the caller too, so
 * {@link #tryAcquire} gives up at once. The stall window is the longer of its minimum and three
 * times the usual time a permit is held (an average of the recent ones), so that a pool of
 * slower queries is not taken for a stuck one; it never exceeds the maximum wait.
 */
public final class Permits {

    private final int size;
    private final Semaphore semaphore;
    private final AtomicLong lastReturned = new AtomicLong(System.nanoTime());
    /** Recent hold times, exponentially averaged (each new one weighs 1/8). */
    private final AtomicLong usualHoldNanos = new AtomicLong();
    private final Duration minStallWindow;
    private final Duration maxWait;

    public Permits(int size, Duration minStallWindow, Duration maxWait) {
        this.size = size;
        this.semaphore = new Semaphore(size, true);
        this.minStallWindow = minStallWindow;
        this.maxWait = maxWait;
    }

    public int size() {
        return size;
    }

    /** Permits taken and not yet returned. */
    public int inUse() {
        return size - semaphore.availablePermits();
    }

    /**
     * Takes a permit, waiting while the queue moves: the time it was taken (for
     * {@link #release(long)}), or -1 when the queue does not move (or after the maximum wait).
     */
    public long tryAcquire() {
        long started = System.nanoTime();
        try {
            while (true) {
                long window = stallWindowNanos();
                if (semaphore.tryAcquire(window, TimeUnit.NANOSECONDS)) {
                    return System.nanoTime();
                }
                long now = System.nanoTime();
                if (now - lastReturned.get() >= window || now - started >= maxWait.toNanos()) {
                    return -1;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Returns a permit taken at {@code acquiredAt} (what {@link #tryAcquire} returned). */
    public void release(long acquiredAt) {
        long now = System.nanoTime();
        long held = Math.max(0, now - acquiredAt);
        usualHoldNanos.updateAndGet(usual -> usual == 0 ? held : usual + (held - usual) / 8);
        lastReturned.set(now);
        semaphore.release();
    }

    long stallWindowNanos() {
        return Math.min(maxWait.toNanos(), Math.max(minStallWindow.toNanos(), 3 * usualHoldNanos.get()));
    }
}
