package dev.callanalytics.ingest;

import dev.callanalytics.db.tables.IngestMerged;
import dev.callanalytics.db.tables.IngestStaging;
import org.jooq.CommonTableExpression;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;

import static dev.callanalytics.db.Tables.ASSISTANTS;
import static dev.callanalytics.db.Tables.CALLS;
import static dev.callanalytics.db.Tables.INGEST_MERGED;
import static dev.callanalytics.db.Tables.INGEST_STAGING;
import static dev.callanalytics.db.Tables.TRANSCRIPTS;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.currentOffsetDateTime;
import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.exists;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.jsonbArray;
import static org.jooq.impl.DSL.jsonbArrayAgg;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.not;
import static org.jooq.impl.DSL.or;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectDistinct;
import static org.jooq.impl.DSL.selectOne;
import static org.jooq.impl.DSL.val;

/**
 * The SQL of a write: the staged calls of one batch merged into calls and transcripts by a few
 * set-based statements (never row by row), in the caller's transaction.
 */
final class IngestQueries {

    /** The batch's temporary staging table, made LIKE the (always empty) ingest_staging. */
    static final IngestStaging BATCH = INGEST_STAGING.rename("ingest_batch");
    /** The calls the merge created or changed, made LIKE ingest_merged. */
    static final IngestMerged MERGED = INGEST_MERGED.rename("ingest_batch_merged");

    /** The call columns a report carries, in both the staging and the calls table. */
    private static final List<Field<?>> REPORTED = List.of(
            CALLS.ASSISTANT_ID, CALLS.ASSISTANT_NAME, CALLS.CALL_TYPE, CALLS.CALL_SERVICE, CALLS.PLATFORM_NUMBER,
            CALLS.TO_NUMBER, CALLS.CALL_STATUS, CALLS.CALL_STATUS_REASON, CALLS.SIP_STATUS_CODE, CALLS.SIP_STATUS_TEXT,
            CALLS.STARTED_AT, CALLS.ANSWERED_AT, CALLS.ENDED_AT, CALLS.CALL_DURATION_MINUTES, CALLS.CALL_COST,
            CALLS.RECORDING_PATH, CALLS.QUEUE_ID, CALLS.IS_PASSTHROUGH, CALLS.AGENT_READY_AT, CALLS.CALL_END_REASON,
            CALLS.BILLABLE_DURATION_MINUTES, CALLS.USAGE);

    private IngestQueries() {
    }

    /**
     * Temporary tables live as long as the pooled connection, so they are created once per
     * connection; ON COMMIT DELETE ROWS empties them at the end of every write transaction
     * without touching the catalog (and costs nothing to transactions that never use them).
     */
    static void prepareStaging(DSLContext ctx) {
        // The merge sorts the batch by room; let large batches sort in memory.
        ctx.execute("SET LOCAL work_mem = '256MB'");
        ctx.execute("CREATE TEMP TABLE IF NOT EXISTS " + BATCH.getName() + " (LIKE " + INGEST_STAGING.getName() + ") ON COMMIT DELETE ROWS");
        ctx.execute("CREATE TEMP TABLE IF NOT EXISTS " + MERGED.getName() + " (LIKE " + INGEST_MERGED.getName() + ") ON COMMIT DELETE ROWS");
    }

    /** Below this many calls a batch is too small for its plans to go wrong. */
    private static final long ANALYZE_FROM = 1_000;

    static WriteSummary merge(DSLContext ctx, UUID account, long received) {
        // Temporary tables have no statistics until analyzed: without them the planner can take a
        // 250,000-call batch for a few rows and join it to itself by nested loops (seen: minutes).
        if (received >= ANALYZE_FROM) {
            ctx.execute("ANALYZE " + BATCH.getName());
        }
        lockAssistants(ctx, account);
        mergeCalls(ctx, account);
        if (received >= ANALYZE_FROM) {
            ctx.execute("ANALYZE " + MERGED.getName());
        }
        replaceTranscripts(ctx, account);
        return summarize(ctx, account, received);
    }

    /** A batch touching more assistants than this takes its account's lock whole rather than one lock each. */
    static final int MAX_ASSISTANT_LOCKS = 100;

    /**
     * The locks of a write, taken before any row is touched and always in one global order:
     * account, then assistant. Every row a write changes (the calls, their assistants, the
     * rollups of their days) belongs to an assistant whose lock it holds, the assistants a call
     * moves away from included, so two writes that share an assistant run one after the other and
     * two that do not never wait on each other. Without this, the triggers' statements (the
     * insert's, then the update's, of one upsert) locked rollup and assistant rows in an order of
     * their own, and concurrent imports deadlocked.
     *
     * <p>Transaction-level advisory locks: the account's in the two-key space (shared, or
     * exclusive for a batch of more than {@value #MAX_ASSISTANT_LOCKS} assistants, which would
     * otherwise fill PostgreSQL's lock table), the assistants' in the one-key space.
     */
    static void lockAssistants(DSLContext ctx, UUID account) {
        var assistant = field(name("assistant_id"), UUID.class);
        var touched = select(BATCH.ASSISTANT_ID.as(assistant))
                      .from(BATCH)
                      .where(BATCH.POSITION.isNull())
                      .union(select(CALLS.ASSISTANT_ID)
                             .from(CALLS)
                             .join(BATCH)
                             .on(CALLS.ACCOUNT_ID.eq(account))
                             .and(CALLS.ROOM_NAME.eq(BATCH.ROOM_NAME))
                             .where(BATCH.POSITION.isNull()))
                      .asTable("touched");
        var key = assistantLockKey(val(account), touched.field(assistant));
        var keys = ctx.select(key)
                      .from(touched)
                      .orderBy(key)
                      .limit(MAX_ASSISTANT_LOCKS + 1)
                      .fetch(key);
        if (keys.size() > MAX_ASSISTANT_LOCKS) {
            ctx.select(field("pg_advisory_xact_lock({0}, {1})", String.class, ACCOUNT_LOCKS, accountLockKey(account)).cast(String.class))
               .fetch();
            return;
        }
        ctx.select(field("pg_advisory_xact_lock_shared({0}, {1})", String.class, ACCOUNT_LOCKS, accountLockKey(account)).cast(String.class))
           .fetch();
        var sortedKey = field(name("k"), Long.class);
        // one statement, its locks taken in key order (PostgreSQL evaluates a volatile select list after ORDER BY)
        ctx.select(field("pg_advisory_xact_lock({0})", String.class, sortedKey).cast(String.class))
           .from(DSL.unnest(keys.toArray(Long[]::new)).as("keys", "k"))
           .orderBy(sortedKey)
           .fetch();
    }

    /** The two-key advisory lock space of accounts: this constant and a hash of the account. */
    private static final Field<Integer> ACCOUNT_LOCKS = DSL.inline(0x43414e41); // "CANA"

    private static Field<Integer> accountLockKey(UUID account) {
        return field("hashtext({0}::text)", Integer.class, val(account));
    }

    private static Field<Long> assistantLockKey(Field<UUID> account, Field<UUID> assistant) {
        return field("hashtextextended({0}::text || {1}::text, 0)", Long.class, account, assistant);
    }

    /**
     * One statement: of each room's reports in the batch, the winner (a terminal one if any,
     * else the last) is inserted, or updated over the stored call unless that would move a
     * terminal call back in progress or change nothing. Rows go in room order, so concurrent
     * batches lock calls in the same order and cannot deadlock. The calls written are noted in
     * MERGED for their transcripts.
     */
    private static void mergeCalls(DSLContext ctx, UUID account) {
        var winners = name("winners").as(
                selectDistinct(BATCH.fields())
                .on(BATCH.ROOM_NAME)
                .from(BATCH)
                .where(BATCH.POSITION.isNull())
                .orderBy(BATCH.ROOM_NAME, inProgress(BATCH.CALL_STATUS).asc(), BATCH.LINE.desc()));

        var insertColumns = new ArrayList<Field<?>>(List.of(CALLS.ACCOUNT_ID, CALLS.ROOM_NAME));
        insertColumns.addAll(REPORTED);
        var values = new ArrayList<Field<?>>(List.of(val(account), winners.field(BATCH.ROOM_NAME)));
        REPORTED.forEach(column -> values.add(winners.field(column.getName())));

        var update = new HashMap<Field<?>, Field<?>>();
        REPORTED.forEach(column -> update.put(column, excluded(column)));
        update.put(CALLS.RECEIVED_AT, DSL.field("clock_timestamp()", CALLS.RECEIVED_AT.getDataType()));

        Condition stale = not(inProgress(CALLS.CALL_STATUS)).and(inProgress(excluded(CALLS.CALL_STATUS)));
        Condition fieldsDiffer = or(REPORTED.stream().map(c -> fieldDiffers(c)).toList());

        var upserted = name("upserted").as(
                ctx.insertInto(CALLS, insertColumns)
                   .select(select(values)
                           .from(winners)
                           .orderBy(winners.field(BATCH.ROOM_NAME)))
                   .onConflict(CALLS.ACCOUNT_ID, CALLS.ROOM_NAME)
                   .doUpdate()
                   .set(update)
                   .where(not(stale))
                   .and(fieldsDiffer.or(transcriptsDiffer(winners)))
                   // xmax is 0 on a freshly inserted row version, set on one that replaced a row
                   .returning(CALLS.ROOM_NAME, field("xmax = 0", Boolean.class).as("created")));

        ctx.with(winners)
           .with(upserted)
           .insertInto(MERGED, MERGED.ROOM_NAME, MERGED.LINE, MERGED.CREATED)
           .select(select(upserted.field(CALLS.ROOM_NAME), winners.field(BATCH.LINE), upserted.field("created", Boolean.class))
                   .from(upserted)
                   .join(winners)
                   .on(winners.field(BATCH.ROOM_NAME).eq(upserted.field(CALLS.ROOM_NAME))))
           .execute();
    }

    /**
     * Whether the winning report of a conflicting call carries transcripts that differ from the
     * stored ones (a report without transcripts keeps them, so never differs).
     */
    private static Condition transcriptsDiffer(CommonTableExpression<?> winners) {
        var line = winners.field(BATCH.LINE);
        var staged = select(jsonbArrayAgg(jsonbArray(BATCH.SPEAKER, BATCH.TEXT, BATCH.SPOKEN_AT)).orderBy(BATCH.POSITION))
                .from(BATCH)
                .where(BATCH.LINE.eq(line))
                .and(BATCH.POSITION.isNotNull());
        var stored = select(jsonbArrayAgg(jsonbArray(TRANSCRIPTS.SPEAKER, TRANSCRIPTS.TEXT, TRANSCRIPTS.SPOKEN_AT)).orderBy(TRANSCRIPTS.POSITION))
                .from(TRANSCRIPTS)
                .where(TRANSCRIPTS.ACCOUNT_ID.eq(CALLS.ACCOUNT_ID))
                .and(TRANSCRIPTS.ROOM_NAME.eq(CALLS.ROOM_NAME));
        return exists(selectOne()
                      .from(winners)
                      .where(winners.field(BATCH.ROOM_NAME).eq(excluded(CALLS.ROOM_NAME)))
                      .and(winners.field(BATCH.REPLACES_TRANSCRIPTS).isTrue())
                      .and(field(staged).isDistinctFrom(field(stored))));
    }

    /** The calls written with transcripts lose their old ones and get the reported ones. */
    private static void replaceTranscripts(DSLContext ctx, UUID account) {
        ctx.deleteFrom(TRANSCRIPTS)
           .using(MERGED)
           .where(TRANSCRIPTS.ACCOUNT_ID.eq(account))
           .and(TRANSCRIPTS.ROOM_NAME.eq(MERGED.ROOM_NAME))
           .and(MERGED.CREATED.isFalse())
           .and(exists(selectOne()
                       .from(BATCH)
                       .where(BATCH.LINE.eq(MERGED.LINE))
                       .and(BATCH.POSITION.isNull())
                       .and(BATCH.REPLACES_TRANSCRIPTS.isTrue())))
           .execute();

        ctx.insertInto(TRANSCRIPTS, TRANSCRIPTS.ACCOUNT_ID, TRANSCRIPTS.ROOM_NAME, TRANSCRIPTS.POSITION,
                       TRANSCRIPTS.SPEAKER, TRANSCRIPTS.TEXT, TRANSCRIPTS.SPOKEN_AT)
           .select(select(val(account), BATCH.ROOM_NAME, BATCH.POSITION, BATCH.SPEAKER, BATCH.TEXT, BATCH.SPOKEN_AT)
                   .from(BATCH)
                   .join(MERGED)
                   .on(MERGED.LINE.eq(BATCH.LINE))
                   .where(BATCH.POSITION.isNotNull()))
           .execute();
    }

    /**
     * Counts what happened to each staged report: written (new or changed), or not written
     * because it was stale against the stored call (ignored) or changed nothing (unchanged).
     */
    private static WriteSummary summarize(DSLContext ctx, UUID account, long received) {
        Condition written = MERGED.ROOM_NAME.isNotNull();
        Condition staleReport = not(inProgress(CALLS.CALL_STATUS)).and(inProgress(BATCH.CALL_STATUS));
        var counts = ctx.select(count().filterWhere(MERGED.CREATED.isTrue()),
                                count().filterWhere(MERGED.CREATED.isFalse()),
                                count().filterWhere(not(written).and(staleReport)),
                                count().filterWhere(not(written).and(not(staleReport).or(CALLS.CALL_STATUS.isNull()))))
                        .from(BATCH)
                        .leftJoin(MERGED)
                        .on(MERGED.LINE.eq(BATCH.LINE))
                        .leftJoin(CALLS)
                        .on(CALLS.ACCOUNT_ID.eq(account))
                        .and(CALLS.ROOM_NAME.eq(BATCH.ROOM_NAME))
                        .where(BATCH.POSITION.isNull())
                        .fetchSingle();
        return new WriteSummary(received, counts.value1(), counts.value2(), counts.value4(), counts.value3(), 0, List.of());
    }

    /**
     * An explicit rename. It counts as a name given now: a call started later with another
     * name renames the assistant again, a late report of an older call does not.
     */
    static boolean renameAssistant(DSLContext ctx, UUID account, UUID assistant, String name) {
        return ctx.transactionResult(tx -> {
            var tctx = tx.dsl();
            tctx.select(field("pg_advisory_xact_lock_shared({0}, {1})", String.class, ACCOUNT_LOCKS, accountLockKey(account)).cast(String.class),
                        field("pg_advisory_xact_lock({0})", String.class, assistantLockKey(val(account), val(assistant))).cast(String.class))
                .fetch();
            return renamed(tctx, account, assistant, name);
        });
    }

    private static boolean renamed(DSLContext ctx, UUID account, UUID assistant, String name) {
        return ctx.update(ASSISTANTS)
                  .set(ASSISTANTS.ASSISTANT_NAME, name)
                  .set(ASSISTANTS.NAME_STARTED_AT, currentOffsetDateTime())
                  .where(ASSISTANTS.ACCOUNT_ID.eq(account))
                  .and(ASSISTANTS.ASSISTANT_ID.eq(assistant))
                  .execute() == 1;
    }

    private static Condition inProgress(Field<String> status) {
        return status.in(IncomingCall.IN_PROGRESS);
    }

    private static <T> Condition fieldDiffers(Field<T> column) {
        return column.isDistinctFrom(excluded(column));
    }

}
