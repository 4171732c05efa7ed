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

    /** A measure of a rollup that differs from its calls: what the rollup holds, and what the calls add up to. */
    public record Drift(UUID accountId, LocalDate day, UUID assistantId, String phoneBucket, String service,
                        String measure, BigDecimal rollupValue, BigDecimal actualValue) {

        /** The rollup row: account, day, assistant, phone bucket, service. */
        public List<Object> rollup() {
            return List.of(accountId, day, assistantId, phoneBucket, service);
        }
    }

    /** Every measure of a rollup of {@code account} (or of all accounts) that differs from its calls; empty when exact. */
    public List<Drift> verify(Optional<UUID> account) {
        var drift = CALL_ROLLUPS_VERIFY.call(account.orElse(null));
        return ctx.select(drift.ACCOUNT_ID, drift.DAY, drift.ASSISTANT_ID, drift.PHONE_BUCKET, drift.SERVICE,
                          drift.MEASURE, drift.ROLLUP_VALUE, drift.ACTUAL_VALUE)
                  .from(drift)
                  .fetch(mapping(Drift::new));
    }

    /** How many rollup rows the drift is in. */
    public static long rollups(List<Drift> drift) {
        return drift.stream().map(Drift::rollup).distinct().count();
    }

    /** Recomputes the rollups of {@code account} (or of all) from the calls, in one transaction; the rows written. */
    public long rebuild(Optional<UUID> account) {
        return ctx.transactionResult(tx -> callRollupsRebuild(tx, account.orElse(null)));
    }
}
