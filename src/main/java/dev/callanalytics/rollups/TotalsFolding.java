package dev.callanalytics.rollups;

import org.jooq.DSLContext;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Keeps call_totals small: every few seconds, the rows that writes appended to a period are
 * summed into one (call_totals_fold). The sums never change, so readers never notice; without it
 * the totals stay exact but a period's rows grow with its writes. Runs on the write pool, in
 * the server only; {@code rollups rebuild} leaves folded rows too.
 */
public final class TotalsFolding implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TotalsFolding.class.getName());
    /** Periods folded per transaction: a few thousand rows, a few milliseconds. */
    static final int PERIODS_PER_FOLD = 5_000;

    private final RollupQueries rollups;
    private final ScheduledExecutorService timer;
    private volatile String lastFailure;

    private TotalsFolding(DSLContext writes, Duration every) {
        this.rollups = new RollupQueries(writes);
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "call-analytics-totals-folding");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::foldAll, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts folding every {@code every}, on connections of {@code writes}. */
    public static TotalsFolding start(DSLContext writes, Duration every) {
        return new TotalsFolding(writes, every);
    }

    /** Folds until nothing is left (a large import leaves many periods), in transactions of bounded size. */
    void foldAll() {
        try {
            while (rollups.foldTotals(PERIODS_PER_FOLD) == PERIODS_PER_FOLD) {
                Thread.onSpinWait(); // more periods wait: fold the next ones now rather than in a few seconds
            }
            if (lastFailure != null) {
                LOG.info("Folding call_totals works again");
                lastFailure = null;
            }
        } catch (RuntimeException e) {
            // the database is away or the write pool full: the totals stay exact, and the next round tries again
            var failure = e.getClass().getSimpleName();
            if (!failure.equals(lastFailure)) {
                LOG.warning("Cannot fold call_totals now (" + failure + "); they stay exact, and it is tried again in a few seconds");
            }
            lastFailure = failure;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
