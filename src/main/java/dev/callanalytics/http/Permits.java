package dev.callanalytics.http;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded resource (the connections of a pool, the import slots of an account) and the queue
 * in front of it, which tells busy from stuck: a caller that finds every permit taken waits while
 * permits keep coming back (one was returned within the last stall window), at most a maximum
 * wait; when none has come back for a whole stall window, the holders are slow, and waiting
 * longer would only hold the caller too, so {@link #tryAcquire} gives up at once.
 */
public final class Permits {

    private final int size;
    private final Semaphore semaphore;
    private final AtomicLong lastReturned = new AtomicLong(System.nanoTime());
    private final Duration stallWindow;
    private final Duration maxWait;

    public Permits(int size, Duration stallWindow, Duration maxWait) {
        this.size = size;
        this.semaphore = new Semaphore(size, true);
        this.stallWindow = stallWindow;
        this.maxWait = maxWait;
    }

    public int size() {
        return size;
    }

    /** Permits taken and not yet returned. */
    public int inUse() {
        return size - semaphore.availablePermits();
    }

    /** Takes a permit, waiting while the queue moves; false when it does not (or after the maximum wait). */
    public boolean tryAcquire() {
        long started = System.nanoTime();
        try {
            while (!semaphore.tryAcquire(stallWindow.toNanos(), TimeUnit.NANOSECONDS)) {
                long now = System.nanoTime();
                if (now - lastReturned.get() >= stallWindow.toNanos() || now - started >= maxWait.toNanos()) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void release() {
        lastReturned.set(System.nanoTime());
        semaphore.release();
    }
}
