package dev.callanalytics.calllogs;

import dev.callanalytics.calllogs.CallLog.Transcript;
import dev.callanalytics.analytics.DaySplit;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record1;
import org.jooq.Select;
import org.jooq.SortField;

import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.callanalytics.db.Tables.ASSISTANTS;
import static dev.callanalytics.db.Tables.CALLS;
import static dev.callanalytics.db.Tables.CALL_ROLLUPS;
import static dev.callanalytics.db.Tables.TRANSCRIPTS;
import static org.jooq.Records.mapping;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.multiset;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectCount;
import static org.jooq.impl.DSL.sum;

/**
 * A page of one assistant's calls with their transcripts, the total, and whether the assistant
 * is the caller's at all: one query, whatever the page size.
 */
final class CallLogsQueries {

    private final DSLContext ctx;

    CallLogsQueries(DSLContext ctx) {
        this.ctx = ctx;
    }

    /** Empty when the account has no such assistant. */
    Optional<LogsPage> page(UUID account, LogsRequest request) {
        var matching = CALLS.ACCOUNT_ID.eq(account)
                                       .and(CALLS.ASSISTANT_ID.eq(request.assistantId()))
                                       .and(dateFilter(request));
        var total = total(account, request);
        var logs = multiset(
                select(CALLS.ROOM_NAME,
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
                       transcripts(),
                       CALLS.CALL_COST)
                .from(CALLS)
                .where(CALLS.ACCOUNT_ID.eq(account))
                .and(CALLS.ROOM_NAME.in(pageRooms(matching, request)))
                .orderBy(order(request))
        ).convertFrom(r -> r.map(mapping(CallLog::new)));

        return ctx.select(total, logs)
                  .from(ASSISTANTS)
                  .where(ASSISTANTS.ACCOUNT_ID.eq(account))
                  .and(ASSISTANTS.ASSISTANT_ID.eq(request.assistantId()))
                  .fetchOptional(r -> new LogsPage(r.value2(), r.value1().longValue()));
    }

    /**
     * How many calls match, without counting an assistant's every call: the rollups hold the
     * count of each whole UTC day, the raw calls only those of the partial days at the edges.
     */
    private static Field<BigDecimal> total(UUID account, LogsRequest request) {
        var split = new DaySplit(request.dates().start(), request.dates().end());
        var wholeDays = select(coalesce(sum(CALL_ROLLUPS.CALLS), BigDecimal.ZERO))
                .from(CALL_ROLLUPS)
                .where(CALL_ROLLUPS.ACCOUNT_ID.eq(account))
                .and(CALL_ROLLUPS.ASSISTANT_ID.eq(request.assistantId()))
                .and(split.wholeDays(CALL_ROLLUPS.DAY));
        var edgeCalls = selectCount()
                .from(CALLS)
                .where(CALLS.ACCOUNT_ID.eq(account))
                .and(CALLS.ASSISTANT_ID.eq(request.assistantId()))
                .and(split.edges(CALLS.STARTED_AT));
        return field(wholeDays).plus(field(edgeCalls));
    }

    /**
     * The room names of the page alone, so that paging deep (page 500 skips 49,900 calls) walks
     * the call-logs index only (account, assistant, started_at, room_name) instead of reading
     * every skipped call; the page's 100 calls are read afterwards.
     */
    private static Select<Record1<String>> pageRooms(Condition matching, LogsRequest request) {
        return select(CALLS.ROOM_NAME)
               .from(CALLS)
               .where(matching)
               .orderBy(order(request))
               .limit(request.limit())
               .offset(request.offset());
    }

    /** A call's transcripts in speaking order: by time, then in the order they were received. */
    private static Field<List<Transcript>> transcripts() {
        return multiset(
                select(TRANSCRIPTS.SPEAKER, TRANSCRIPTS.TEXT, TRANSCRIPTS.SPOKEN_AT)
                .from(TRANSCRIPTS)
                .where(TRANSCRIPTS.ACCOUNT_ID.eq(CALLS.ACCOUNT_ID))
                .and(TRANSCRIPTS.ROOM_NAME.eq(CALLS.ROOM_NAME))
                .orderBy(TRANSCRIPTS.SPOKEN_AT.asc().nullsLast(), TRANSCRIPTS.POSITION.asc())
        ).convertFrom(r -> r.map(mapping(Transcript::new)));
    }

    /**
     * The requested order with nulls last either way, and room_name (unique per account) as
     * the final key, so that the order is total and pages never skip or repeat a call.
     */
    private static List<SortField<?>> order(LogsRequest request) {
        Field<?> key = switch (request.sortBy()) {
            case STARTED_AT -> CALLS.STARTED_AT;
            case ENDED_AT -> CALLS.ENDED_AT;
            case CALL_DURATION_MINUTES -> CALLS.CALL_DURATION_MINUTES;
            case CALL_COST -> CALLS.CALL_COST;
        };
        var primary = request.descending() ? key.desc().nullsLast() : key.asc().nullsLast();
        return List.of(primary, CALLS.ROOM_NAME.asc());
    }

    private static Condition dateFilter(LogsRequest request) {
        var dates = request.dates();
        return dates.start().map(s -> CALLS.STARTED_AT.ge(s.atOffset(ZoneOffset.UTC))).orElse(noCondition())
                    .and(dates.end().map(e -> CALLS.STARTED_AT.le(e.atOffset(ZoneOffset.UTC))).orElse(noCondition()));
    }

    /** The calls of one page and how many match in all. */
    record LogsPage(List<CallLog> logs, long total) {
    }
}
