package dev.callanalytics.ingest;

import dev.callanalytics.http.ApiException;
import dev.callanalytics.ingest.IncomingCall.Utterance;
import org.jooq.Field;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import static dev.callanalytics.db.Tables.INGEST_STAGING;

/**
 * Calls that passed validation, written out as the rows of a COPY into the staging table, waiting
 * for their transaction: in memory while small, spooled to a file (mode 0600, deleted on close)
 * past {@link #MEMORY_LIMIT}. A body is read and validated whole into one of these before a
 * database connection is taken, so no transaction ever waits on a client, and the rows can be
 * sent again when a transaction has to be retried.
 */
public final class StagedCalls implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StagedCalls.class.getName());

    /** Past this many bytes of rows, they go to a file. */
    static final int MEMORY_LIMIT = 1 << 20;

    /** The staging columns in COPY order; {@link #add} writes each row in this order. */
    private static final List<Field<?>> STAGED = List.of(
            INGEST_STAGING.LINE, INGEST_STAGING.ROOM_NAME, INGEST_STAGING.POSITION,
            INGEST_STAGING.ASSISTANT_ID, INGEST_STAGING.ASSISTANT_NAME, INGEST_STAGING.CALL_TYPE,
            INGEST_STAGING.CALL_SERVICE, INGEST_STAGING.PLATFORM_NUMBER, INGEST_STAGING.TO_NUMBER,
            INGEST_STAGING.CALL_STATUS, INGEST_STAGING.CALL_STATUS_REASON, INGEST_STAGING.SIP_STATUS_CODE,
            INGEST_STAGING.SIP_STATUS_TEXT, INGEST_STAGING.STARTED_AT, INGEST_STAGING.ANSWERED_AT,
            INGEST_STAGING.ENDED_AT, INGEST_STAGING.CALL_DURATION_MINUTES, INGEST_STAGING.CALL_COST,
            INGEST_STAGING.RECORDING_PATH, INGEST_STAGING.QUEUE_ID, INGEST_STAGING.IS_PASSTHROUGH,
            INGEST_STAGING.AGENT_READY_AT, INGEST_STAGING.CALL_END_REASON, INGEST_STAGING.BILLABLE_DURATION_MINUTES,
            INGEST_STAGING.USAGE, INGEST_STAGING.REPLACES_TRANSCRIPTS, INGEST_STAGING.SPEAKER,
            INGEST_STAGING.TEXT, INGEST_STAGING.SPOKEN_AT);

    /** An utterance row fills line, room_name and position, then the last three columns: the call's are null. */
    private static final int CALL_COLUMNS_OF_AN_UTTERANCE_ROW = STAGED.size() - 6;

    /** The COPY that reads these rows into the batch's staging table. */
    static final String COPY_SQL = "COPY " + IngestQueries.BATCH.getName() + " ("
            + STAGED.stream().map(Field::getName).collect(Collectors.joining(", ")) + ") FROM STDIN";

    private final Path spoolDirectory;
    private final StringBuilder row = new StringBuilder(1024);
    private ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private Path file;
    private OutputStream out = memory;
    private long calls;
    /** The assistants of the staged calls, up to a bound past which only "many" is known. */
    private final SortedSet<UUID> assistants = new TreeSet<>();
    private boolean manyAssistants;

    /** @param spoolDirectory where rows go past {@link #MEMORY_LIMIT} */
    public StagedCalls(Path spoolDirectory) {
        this.spoolDirectory = spoolDirectory;
    }

    /** How many calls are staged. */
    public long calls() {
        return calls;
    }

    /** The assistants the staged calls report (meaningless when {@link #manyAssistants}). */
    SortedSet<UUID> assistants() {
        return Collections.unmodifiableSortedSet(assistants);
    }

    /** Whether the calls report more assistants than a write locks one by one. */
    boolean manyAssistants() {
        return manyAssistants;
    }

    /** Stages one valid call (and its transcript, if the report carried one), from input line {@code line}. */
    public void add(long line, IncomingCall call) {
        calls++;
        if (!manyAssistants && assistants.add(call.assistantId()) && assistants.size() > WriteGates.MAX_ASSISTANT_GATES) {
            manyAssistants = true;
            assistants.clear();
        }
        row.setLength(0);
        integer(line).text(call.roomName()).nothing()
                .uuid(call.assistantId()).text(call.assistantName()).text(call.callType())
                .text(call.callService()).text(call.platformNumber()).text(call.toNumber())
                .text(call.callStatus()).text(call.callStatusReason()).integer(call.sipStatusCode())
                .text(call.sipStatusText()).instant(call.startedAt()).instant(call.answeredAt())
                .instant(call.endedAt()).decimal(call.callDurationMinutes()).decimal(call.callCost())
                .text(call.recordingPath()).text(call.queueId()).bool(call.isPassthrough())
                .instant(call.agentReadyAt()).text(call.callEndReason()).integer(call.billableDurationMinutes())
                .text(call.usageJson()).bool(call.transcripts().isPresent()).nothing()
                .nothing().last(null);
        var lines = call.transcripts().orElse(List.of());
        for (int position = 0; position < lines.size(); position++) {
            Utterance utterance = lines.get(position);
            integer(line).text(call.roomName()).integer(position);
            for (int i = 0; i < CALL_COLUMNS_OF_AN_UTTERANCE_ROW; i++) {
                nothing();
            }
            text(utterance.speaker()).text(utterance.text()).last(utterance.timestamp());
        }
        write();
    }

    /** The rows staged so far, from the first; may be read again (a retried transaction). */
    InputStream rows() {
        try {
            out.flush();
            return file == null ? new ByteArrayInputStream(memory.toByteArray()) : Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the staged calls back: " + e.getMessage(), e);
        }
    }

    /** Deletes the spool file, if any. */
    @Override
    public void close() {
        try {
            out.close();
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the spool file " + file + ": " + e.getMessage(), e);
        }
    }

    private void write() {
        var encoded = row.toString().getBytes(StandardCharsets.UTF_8);
        row.setLength(0);
        try {
            if (file == null && memory.size() + encoded.length > MEMORY_LIMIT) {
                file = Files.createTempFile(spoolDirectory, "call-analytics-import-", ".copy");
                file.toFile().deleteOnExit();
                out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                memory.writeTo(out);
                memory = null;
            }
            out.write(encoded);
        } catch (IOException e) {
            // the disk is full, or the directory gone: the server's trouble, not the client's
            LOG.warning("cannot spool an import to " + spoolDirectory + ": " + e.getMessage());
            throw ApiException.unavailable("The server cannot keep this import on disk right now; retry later", 60);
        }
    }

    // COPY text format: columns separated by tabs, \N for null, backslash escapes.

    private StagedCalls nothing() {
        row.append("\\N\t");
        return this;
    }

    private StagedCalls text(String value) {
        if (value == null) {
            return nothing();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> row.append("\\\\");
                case '\t' -> row.append("\\t");
                case '\n' -> row.append("\\n");
                case '\r' -> row.append("\\r");
                default -> row.append(c);
            }
        }
        row.append('\t');
        return this;
    }

    private StagedCalls integer(Number value) {
        return value == null ? nothing() : plain(value.toString());
    }

    private StagedCalls uuid(UUID value) {
        return value == null ? nothing() : plain(value.toString());
    }

    /** Bounded by the parser (CallParser), so toPlainString is at most a few dozen digits. */
    private StagedCalls decimal(BigDecimal value) {
        return value == null ? nothing() : plain(value.toPlainString());
    }

    private StagedCalls bool(Boolean value) {
        return value == null ? nothing() : plain(value ? "t" : "f");
    }

    /** UTC, written by hand (a formatter costs more than the rest of the row); years 1..9999, as the parser ensures. */
    private StagedCalls instant(Instant value) {
        if (value == null) {
            return nothing();
        }
        var t = LocalDateTime.ofEpochSecond(value.getEpochSecond(), value.getNano(), ZoneOffset.UTC);
        pad(t.getYear(), 4).append('-');
        pad(t.getMonthValue(), 2).append('-');
        pad(t.getDayOfMonth(), 2).append(' ');
        pad(t.getHour(), 2).append(':');
        pad(t.getMinute(), 2).append(':');
        pad(t.getSecond(), 2);
        if (t.getNano() > 0) {
            row.append('.');
            pad(t.getNano(), 9);
        }
        return plain("+00");
    }

    private StringBuilder pad(int value, int width) {
        for (int limit = (int) Math.pow(10, width - 1); limit > 1 && value < limit; limit /= 10) {
            row.append('0');
        }
        return row.append(value);
    }

    private StagedCalls plain(String value) {
        row.append(value).append('\t');
        return this;
    }

    /** The last column of a row: a timestamp or null, then the end of the row. */
    private void last(Instant value) {
        instant(value);
        row.setLength(row.length() - 1);
        row.append('\n');
    }
}
