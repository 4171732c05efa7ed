package dev.callanalytics.rollups;

import org.jooq.DSLContext;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.callanalytics.db.Routines.callRollupsRebuild;
import static dev.callanalytics.db.Routines.callTotalsFold;
import static dev.callanalytics.db.Tables.CALL_ROLLUPS_VERIFY;
import static org.jooq.Records.mapping;

/**
 * The daily rollups (and the account totals beside them) checked against the raw calls, and
 * rebuilt from them: for when the triggers
 * that keep them exact were bypassed (a data-only restore, a load with
 * session_replication_role = replica, disabled triggers). Both run in PostgreSQL
 * (call_rollups_verify, call_rollups_rebuild), so that an operator with psql has them too.
 */
public final class RollupQueries {

    private final DSLContext ctx;

    public RollupQueries(DSLContext ctx) {
        this.ctx = ctx;
    }

    /**
     * A measure of a rollup row that differs from its calls: which row (of call_rollups, or of
     * call_totals by day or quarter hour, which have no assistant, bucket or service), what it
     * holds, and what the calls add up to.
     */
    public record Drift(UUID accountId, String rollup, OffsetDateTime periodStart, UUID assistantId, String phoneBucket,
                        String service, String measure, BigDecimal rollupValue, BigDecimal actualValue) {

        /** The row: which rollup, account, period, assistant, phone bucket, service. */
        public List<Object> row() {
            return Arrays.asList(rollup, accountId, periodStart, assistantId, phoneBucket, service);
        }
    }

    /** Every measure of a rollup row of {@code account} (or of all accounts) that differs from its calls; empty when exact. */
    public List<Drift> verify(Optional<UUID> account) {
        var drift = CALL_ROLLUPS_VERIFY.call(account.orElse(null));
        return ctx.select(drift.ACCOUNT_ID, drift.ROLLUP, drift.PERIOD_START, drift.ASSISTANT_ID, drift.PHONE_BUCKET, drift.SERVICE,
                          drift.MEASURE, drift.ROLLUP_VALUE, drift.ACTUAL_VALUE)
                  .from(drift)
                  .fetch(mapping(Drift::new));
    }

    /** How many rollup rows the drift is in. */
    public static long rows(List<Drift> drift) {
        return drift.stream().map(Drift::row).distinct().count();
    }

    /** Sums the rows call_totals has for a period into one (see call_totals_fold); the periods folded. */
    public long foldTotals(int maxPeriods) {
        return ctx.transactionResult(tx -> callTotalsFold(tx, maxPeriods));
    }

    /** Recomputes the rollups of {@code account} (or of all) from the calls, in one transaction; the rows written. */
    public long rebuild(Optional<UUID> account) {
        return ctx.transactionResult(tx -> callRollupsRebuild(tx, account.orElse(null)));
    }
}
