package dev.callanalytics.rollups;

import org.jooq.DSLContext;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.callanalytics.db.Routines.callRollupsRebuild;
import static dev.callanalytics.db.Tables.CALL_ROLLUPS_VERIFY;
import static org.jooq.Records.mapping;

/**
 * The daily rollups checked against the raw calls, and rebuilt from them: for when the triggers
 * that keep them exact were bypassed (a data-only restore, a load with
 * session_replication_role = replica, disabled triggers). Both run in PostgreSQL
 * (call_rollups_verify, call_rollups_rebuild), so that an operator with psql has them too.
 */
public final class RollupQueries {

    private final DSLContext ctx;

    public RollupQueries(DSLContext ctx) {
        this.ctx = ctx;
    }

    /** A rollup that differs from its calls: what it holds, and what the calls add up to. */
    public record Drift(UUID accountId, LocalDate day, UUID assistantId, String phoneBucket,
                        long rollupCalls, long actualCalls, BigDecimal rollupMinutes, BigDecimal actualMinutes) {
    }

    /** Every rollup of {@code account} (or of all accounts) that differs from its calls; empty when exact. */
    public List<Drift> verify(Optional<UUID> account) {
        var drift = CALL_ROLLUPS_VERIFY.call(account.orElse(null));
        return ctx.select(drift.ACCOUNT_ID, drift.DAY, drift.ASSISTANT_ID, drift.PHONE_BUCKET,
                          drift.ROLLUP_CALLS, drift.ACTUAL_CALLS, drift.ROLLUP_MINUTES, drift.ACTUAL_MINUTES)
                  .from(drift)
                  .fetch(mapping(Drift::new));
    }

    /** Recomputes the rollups of {@code account} (or of all) from the calls, in one transaction; the rows written. */
    public long rebuild(Optional<UUID> account) {
        return ctx.transactionResult(tx -> callRollupsRebuild(tx, account.orElse(null)));
    }
}
