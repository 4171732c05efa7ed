package dev.callanalytics.ingest;

import dev.callanalytics.http.ApiException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The locks of a write taken in this process before it takes a database connection, in the same
 * order as its database locks (account, then its assistants, see IngestQueries.lockAssistants):
 * a webhook for an assistant an import is writing waits here, holding nothing another write
 * needs, instead of waiting on the database inside one of the few write connections (which once
 * left every write connection waiting behind one import, and the next write a 503). The database
 * locks stay, for the assistants only the database knows (those a call moves away from) and for
 * servers side by side.
 *
 * <p>A gate exists while someone holds or waits for it, so a stream of new assistant ids costs
 * nothing that lasts.
 */
final class WriteGates {

    /** A write of more assistants than this closes its account's gate whole, as in the database. */
    static final int MAX_ASSISTANT_GATES = IngestQueries.MAX_ASSISTANT_LOCKS;

    private record Key(UUID account, UUID assistant) {
    }

    private static final class Gate {
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
        int users;
    }

    private final ConcurrentHashMap<Key, Gate> gates = new ConcurrentHashMap<>();

    /** What a write holds; closing it opens the gates again. */
    interface Passage extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Passes the gates of {@code account} and {@code assistants} (all of the account's when
     * {@code wholeAccount}), waiting at most {@code maxWait} in all; a 503 when that is not enough.
     */
    Passage enter(UUID account, SortedSet<UUID> assistants, boolean wholeAccount, Duration maxWait) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        var held = new ArrayList<Runnable>();
        try {
            var accountKey = new Key(account, null);
            held.add(take(accountKey, wholeAccount, deadline));
            if (!wholeAccount) {
                for (var assistant : assistants) {
                    held.add(take(new Key(account, assistant), true, deadline));
                }
            }
        } catch (RuntimeException e) {
            release(held);
            throw e;
        }
        return () -> release(held);
    }

    private Runnable take(Key key, boolean exclusive, long deadline) {
        var gate = gates.compute(key, (k, existing) -> {
            var g = existing == null ? new Gate() : existing;
            g.users++;
            return g;
        });
        Lock lock = exclusive ? gate.lock.writeLock() : gate.lock.readLock();
        boolean taken;
        try {
            taken = lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            taken = false;
        }
        if (!taken) {
            leave(key);
            throw ApiException.unavailable("Another write of the same assistant (an import) is still running; retry shortly", 2);
        }
        return () -> {
            lock.unlock();
            leave(key);
        };
    }

    private void leave(Key key) {
        gates.computeIfPresent(key, (k, gate) -> --gate.users == 0 ? null : gate);
    }

    private static void release(List<Runnable> held) {
        for (int i = held.size() - 1; i >= 0; i--) {
            held.get(i).run();
        }
    }

    /** Gates in use (held or waited for): for tests, which check that none is left behind. */
    int open() {
        return gates.size();
    }
}
