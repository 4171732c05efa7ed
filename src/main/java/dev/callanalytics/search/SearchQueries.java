package dev.callanalytics.search;

import dev.callanalytics.analytics.Dimension;
import dev.callanalytics.analytics.Measure;
import dev.callanalytics.search.CallFilter.Bounds;
import dev.callanalytics.search.FoundCall.Line;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SortField;

import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.callanalytics.db.Routines.transcriptMatches;
import static dev.callanalytics.db.Tables.CALLS;
import static dev.callanalytics.db.Tables.TRANSCRIPTS;
import static org.jooq.Records.mapping;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.condition;
import static org.jooq.impl.DSL.exists;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.multiset;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectOne;
import static org.jooq.impl.DSL.trim;
import static org.jooq.impl.DSL.val;

/**
 * The calls of one account that a {@link CallFilter} selects, in the order of a search (by
 * started_at, newest first unless asked otherwise, room_name breaking ties): a page after a
 * cursor, or all of them from a server-side cursor for an export.
 */
final class SearchQueries {

    /**
     * The columns of an export: the call record's, in its order, without the transcripts. Their
     * names are the record's JSON names, and the header of a CSV export.
     */
    static final List<Field<?>> EXPORTED = List.of(CALLS.ROOM_NAME,
                                                    CALLS.ASSISTANT_ID,
                                                    CALLS.ASSISTANT_NAME,
                                                    CALLS.TO_NUMBER,
                                                    CALLS.CALL_STATUS,
                                                    CALLS.CALL_STATUS_REASON,
                                                    CALLS.SIP_STATUS_CODE,
                                                    CALLS.SIP_STATUS_TEXT,
                                                    CALLS.ANSWERED_AT,
                                                    CALLS.STARTED_AT,
                                                    CALLS.ENDED_AT,
                                                    CALLS.CALL_DURATION_MINUTES,
                                                    CALLS.RECORDING_PATH,
                                                    CALLS.CALL_COST);

    /**
     * The longest a page may take: filters that no index serves and that select almost nothing
     * read every call of the account to find none. Past it, the search is told to narrow.
     */
    static final int PAGE_TIME_LIMIT_SECONDS = 10;

    /** Rows an export reads from the database at a time: memory stays at one batch, whatever the export's size. */
    static final int EXPORT_BATCH = 2_000;

    private final DSLContext ctx;

    SearchQueries(DSLContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Up to {@code limit} calls after {@code after} (from the first when empty), and one more
     * when more follow, so that the caller knows whether there is a next page.
     */
    List<FoundCall> page(UUID account, CallFilter filter, boolean newestFirst, Optional<SearchCursor> after, int limit) {
        return ctx.select(CALLS.ROOM_NAME,
                          CALLS.ASSISTANT_ID,
                          CALLS.ASSISTANT_NAME,
                          CALLS.TO_NUMBER,
                          CALLS.CALL_STATUS,
                          CALLS.CALL_STATUS_REASON,
                          CALLS.SIP_STATUS_CODE,
                          CALLS.SIP_STATUS_TEXT,
                          CALLS.ANSWERED_AT,
                          CALLS.STARTED_AT,
                          CALLS.ENDED_AT,
                          CALLS.CALL_DURATION_MINUTES,
                          CALLS.RECORDING_PATH,
                          transcripts(filter.words()),
                          CALLS.CALL_COST)
                  .from(CALLS)
                  .where(selected(account, filter))
                  .and(after.map(SearchQueries::after).orElse(noCondition()))
                  .orderBy(order(newestFirst, filter))
                  .limit(limit + 1)
                  .queryTimeout(PAGE_TIME_LIMIT_SECONDS)
                  .fetch(mapping(FoundCall::new));
    }

    /**
     * Every selected call, in the search's order, as a lazy cursor over a server-side one
     * ({@value #EXPORT_BATCH} rows a fetch): to be read inside a transaction of {@code tx},
     * which PostgreSQL's cursors need, and closed by the caller.
     */
    static Cursor<Record> export(DSLContext tx, UUID account, CallFilter filter, boolean newestFirst) {
        return tx.select(EXPORTED)
                 .from(CALLS)
                 .where(selected(account, filter))
                 .orderBy(order(newestFirst, filter))
                 .fetchSize(EXPORT_BATCH)
                 .fetchLazy();
    }

    /** The account's calls that pass every filter given. */
    private static Condition selected(UUID account, CallFilter filter) {
        var dates = filter.dates();
        return CALLS.ACCOUNT_ID.eq(account)
                               .and(filter.assistantId().map(CALLS.ASSISTANT_ID::eq).orElse(noCondition()))
                               .and(filter.statuses().isEmpty() ? noCondition() : CALLS.CALL_STATUS.in(filter.statuses()))
                               .and(filter.types().isEmpty() ? noCondition() : Dimension.TYPE.perCall().in(filter.types()))
                               .and(filter.service().map(Dimension.SERVICE.perCall()::eq).orElse(noCondition()))
                               .and(filter.platformNumber().map(trim(CALLS.PLATFORM_NUMBER)::eq).orElse(noCondition()))
                               .and(filter.phoneBucket().map(CALLS.PHONE_BUCKET::eq).orElse(noCondition()))
                               .and(filter.sipStatusCode().map(CALLS.SIP_STATUS_CODE::eq).orElse(noCondition()))
                               .and(dates.start().map(s -> CALLS.STARTED_AT.ge(s.atOffset(ZoneOffset.UTC))).orElse(noCondition()))
                               .and(dates.end().map(e -> CALLS.STARTED_AT.le(e.atOffset(ZoneOffset.UTC))).orElse(noCondition()))
                               .and(within(Measure.MINUTES.perCall(), filter.minutes()))
                               .and(within(Measure.COST.perCall(), filter.cost()))
                               .and(filter.words().map(SearchQueries::said).orElse(noCondition()));
    }

    /** A call one of whose utterances says {@code words} (through transcripts_words_idx). */
    private static Condition said(String words) {
        return exists(selectOne()
                      .from(TRANSCRIPTS)
                      .where(TRANSCRIPTS.ACCOUNT_ID.eq(CALLS.ACCOUNT_ID))
                      .and(TRANSCRIPTS.ROOM_NAME.eq(CALLS.ROOM_NAME))
                      .and(condition(transcriptMatches(TRANSCRIPTS.TEXT, val(words)))));
    }

    /** Nulls count as 0, as in the analytics (and the typed query's min_minutes/max_cost). */
    private static Condition within(Field<BigDecimal> value, Bounds bounds) {
        return bounds.min().map(value::ge).orElse(noCondition()).and(bounds.max().map(value::le).orElse(noCondition()));
    }

    /**
     * The calls after a cursor in its order. Written as a range on started_at and a tie-break,
     * rather than a row comparison, so that either order reads the index on started_at as a range.
     */
    private static Condition after(SearchCursor cursor) {
        var at = cursor.startedAt().atOffset(ZoneOffset.UTC);
        return cursor.newestFirst()
               ? CALLS.STARTED_AT.le(at).and(CALLS.STARTED_AT.lt(at).or(CALLS.ROOM_NAME.gt(cursor.roomName())))
               : CALLS.STARTED_AT.ge(at).and(CALLS.STARTED_AT.gt(at).or(CALLS.ROOM_NAME.gt(cursor.roomName())));
    }

    /**
     * started_at is never null, so where its nulls sort changes no answer, only which index the
     * planner can read in the order asked: one assistant's calls are in
     * calls_account_assistant_started_idx (started_at DESC NULLS LAST, room_name), every call of
     * the account in calls_account_started_idx (started_at, read backwards for newest first).
     */
    private static List<SortField<?>> order(boolean newestFirst, CallFilter filter) {
        var started = newestFirst ? CALLS.STARTED_AT.desc() : CALLS.STARTED_AT.asc();
        if (filter.assistantId().isPresent()) {
            started = newestFirst ? started.nullsLast() : started.nullsFirst();
        }
        return List.of(started, CALLS.ROOM_NAME.asc());
    }

    /** A call's utterances in speaking order, each marked when it says {@code words}. */
    private static Field<List<Line>> transcripts(Optional<String> words) {
        // an utterance without text says nothing
        Field<Boolean> matched = words.map(w -> coalesce(transcriptMatches(TRANSCRIPTS.TEXT, val(w)), inline(false))).orElse(inline(false));
        return multiset(
                select(TRANSCRIPTS.SPEAKER, TRANSCRIPTS.TEXT, TRANSCRIPTS.SPOKEN_AT, matched)
                .from(TRANSCRIPTS)
                .where(TRANSCRIPTS.ACCOUNT_ID.eq(CALLS.ACCOUNT_ID))
                .and(TRANSCRIPTS.ROOM_NAME.eq(CALLS.ROOM_NAME))
                .orderBy(TRANSCRIPTS.SPOKEN_AT.asc().nullsLast(), TRANSCRIPTS.POSITION.asc())
        ).convertFrom(r -> r.map(mapping(Line::new)));
    }
}
