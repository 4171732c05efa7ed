package dev.callanalytics.replica;

import dev.callanalytics.http.ErrorResponses;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Watches a streaming replica: whether it answers, and how far behind the primary it is, once
 * per {@link #INTERVAL}. The API reads from it while it is {@link State#UP}.
 *
 * <p>The lag is how long ago the primary was where the replica has replayed to: the primary's
 * WAL position is sampled at every check, and the replica's replay position is looked up among
 * the samples. An idle primary writes no WAL, so an idle replica that has replayed everything is
 * 0 s behind, however long ago the last transaction was (the usual
 * {@code now() - pg_last_xact_replay_timestamp()} would call it hours behind).
 */
public final class ReplicaMonitor implements AutoCloseable {

    public enum State { UP, LAGGING, DOWN }

    /** What the replica is, and its lag in seconds (null when it does not answer). */
    public record Status(State state, Double lagSeconds) {
    }

    static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(ReplicaMonitor.class.getName());

    private final DataSource primary;
    private final DataSource replica;
    private final Duration maxLag;
    private final WalHistory history;
    private final ScheduledExecutorService checks;
    /** Null until the first check. */
    private volatile Status status;

    /**
     * @param primary a pool on the primary for the checks (the readiness pool)
     * @param replica a pool on the replica for the checks alone, so that busy reads do not hide it
     */
    public ReplicaMonitor(DataSource primary, DataSource replica, Duration maxLag) {
        this.primary = primary;
        this.replica = replica;
        this.maxLag = maxLag;
        // samples back to twice the tolerated lag: a replica further behind is LAGGING, by how much no longer matters
        this.history = new WalHistory(maxLag.multipliedBy(2).plus(INTERVAL.multipliedBy(5)));
        check();
        this.checks = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("replica-monitor").daemon().factory());
        checks.scheduleWithFixedDelay(this::check, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Status status() {
        var known = status;
        return known == null ? new Status(State.DOWN, null) : known;
    }

    /** Whether reads go to the replica now. */
    public boolean serving() {
        return status().state() == State.UP;
    }

    /** A read could not get a connection to the replica: DOWN until a check finds it back. */
    public void reportUnreachable(SQLException e) {
        change(new Status(State.DOWN, null), "it does not answer (" + ErrorResponses.summary(e) + ")");
    }

    void check() {
        Long primaryLsn = null;
        try (var c = primary.getConnection(); var s = c.createStatement();
             var r = s.executeQuery("SELECT CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn() - '0/0'::pg_lsn END")) {
            r.next();
            primaryLsn = r.getObject(1) == null ? null : r.getLong(1);
        } catch (SQLException | RuntimeException e) {
            // the primary is away: readiness says so; the replica's lag cannot be told meanwhile
        }
        long now = System.nanoTime();
        if (primaryLsn != null) {
            history.add(now, primaryLsn);
        }
        try (var c = replica.getConnection(); var s = c.createStatement();
             var r = s.executeQuery("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn() - '0/0'::pg_lsn")) {
            r.next();
            boolean standby = r.getBoolean(1);
            Double lag = !standby ? Double.valueOf(0) : primaryLsn == null ? status().lagSeconds() : history.secondsBehind(r.getLong(2), now);
            var state = lag == null || lag <= maxLag.toSeconds() ? State.UP : State.LAGGING;
            change(new Status(state, lag), state == State.UP ? "it is " + seconds(lag) + " s behind"
                    : "it is " + seconds(lag) + " s behind, more than MAX_REPLICA_LAG_SECONDS=" + maxLag.toSeconds());
        } catch (SQLException | RuntimeException e) {
            change(new Status(State.DOWN, null), "it does not answer (" + ErrorResponses.summary(e) + ")");
        }
    }

    private synchronized void change(Status next, String why) {
        var before = status;
        status = next;
        boolean wasUp = before != null && before.state() == State.UP;
        if ((before == null || wasUp) && next.state() != State.UP) {
            LOG.warning("Reads go to the primary: the replica is " + next.state() + ", " + why);
        } else if (!wasUp && next.state() == State.UP) {
            LOG.info("Reads go to the replica" + (before == null ? ": " : " again: ") + why);
        }
    }

    private static String seconds(Double lag) {
        return lag == null ? "?" : String.format("%.1f", lag);
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }

    /** The primary's WAL position over the last while, one sample per check. */
    static final class WalHistory {

        private record Sample(long atNanos, long lsn) {
        }

        private final long keepNanos;
        private final Deque<Sample> samples = new ArrayDeque<>();

        WalHistory(Duration keep) {
            this.keepNanos = keep.toNanos();
        }

        synchronized void add(long atNanos, long lsn) {
            samples.addLast(new Sample(atNanos, lsn));
            while (samples.size() > 1 && atNanos - samples.peekFirst().atNanos() > keepNanos) {
                samples.removeFirst();
            }
        }

        /**
         * Seconds since the primary was last known to be no further than {@code replayed}: 0 when
         * the replica has replayed the primary's latest position; the age of the oldest sample
         * when it is behind all of them (it is at least that far behind).
         */
        synchronized double secondsBehind(long replayed, long nowNanos) {
            if (samples.isEmpty() || replayed >= samples.peekLast().lsn()) {
                return 0;
            }
            var newest = samples.descendingIterator();
            long caughtUpAt = samples.peekFirst().atNanos();
            while (newest.hasNext()) {
                var sample = newest.next();
                if (sample.lsn() <= replayed) {
                    caughtUpAt = sample.atNanos();
                    break;
                }
            }
            return (nowNanos - caughtUpAt) / 1e9;
        }
    }
}
