package dev.callanalytics.testing;

import dev.callanalytics.db.tables.records.CallsRecord;
import org.jooq.DSLContext;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static dev.callanalytics.db.Tables.CALLS;
import static dev.callanalytics.db.Tables.TRANSCRIPTS;

/**
 * Puts calls of one account straight into the tables, as an analyst's bulk load would, so that
 * the read endpoints can be tested on exactly the rows a test describes.
 */
public final class Calls {

    private final DSLContext ctx;
    private final UUID account;
    private int sequence;

    public Calls(DSLContext ctx, UUID account) {
        this.ctx = ctx;
        this.account = account;
    }

    /** A completed outbound call with sensible defaults, changed by {@code details}. */
    public CallsRecord add(UUID assistant, Instant startedAt, String minutes, Consumer<CallsRecord> details) {
        var call = ctx.newRecord(CALLS)
                      .setAccountId(account)
                      .setRoomName("room-" + (++sequence) + "-" + UUID.randomUUID())
                      .setAssistantId(assistant)
                      .setAssistantName("Assistant " + assistant.toString().substring(0, 4))
                      .setCallType("outbound")
                      .setCallService("twilio")
                      .setPlatformNumber("+15550000000")
                      .setToNumber("+15551234567")
                      .setCallStatus("completed")
                      .setStartedAt(utc(startedAt))
                      .setCallDurationMinutes(minutes == null ? null : new BigDecimal(minutes));
        details.accept(call);
        call.store();
        return call;
    }

    public CallsRecord add(UUID assistant, Instant startedAt, String minutes) {
        return add(assistant, startedAt, minutes, call -> { });
    }

    /** {@code count} calls whose durations add up to exactly {@code totalMinutes}. */
    public List<CallsRecord> addMany(UUID assistant, Instant startedAt, int count, String totalMinutes,
                                     Consumer<CallsRecord> details) {
        var total = new BigDecimal(totalMinutes);
        var each = total.divide(BigDecimal.valueOf(count), 2, java.math.RoundingMode.DOWN);
        var calls = new ArrayList<CallsRecord>();
        for (int i = 0; i < count; i++) {
            var minutes = i == count - 1 ? total.subtract(each.multiply(BigDecimal.valueOf(count - 1))) : each;
            calls.add(add(assistant, startedAt.plusSeconds(i), minutes.toPlainString(), details));
        }
        return calls;
    }

    public void transcript(CallsRecord call, int position, String speaker, String text, Instant spokenAt) {
        ctx.insertInto(TRANSCRIPTS)
           .set(TRANSCRIPTS.ACCOUNT_ID, account)
           .set(TRANSCRIPTS.ROOM_NAME, call.getRoomName())
           .set(TRANSCRIPTS.POSITION, position)
           .set(TRANSCRIPTS.SPEAKER, speaker)
           .set(TRANSCRIPTS.TEXT, text)
           .set(TRANSCRIPTS.SPOKEN_AT, spokenAt == null ? null : utc(spokenAt))
           .execute();
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
