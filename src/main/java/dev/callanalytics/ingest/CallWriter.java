package dev.callanalytics.ingest;

import dev.callanalytics.ingest.IncomingCall.Utterance;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.callanalytics.db.Tables.INGEST_STAGING;

/**
 * The one way calls are written, whether one report, a webhook or an import of millions: the
 * calls stream through COPY into a temporary table, then {@link IngestQueries} merges them
 * into calls and transcripts with set-based statements, all in one transaction. A batch that is
 * not committed (a bad line in an all-or-nothing import, a client that went away) leaves
 * nothing behind.
 */
public final class CallWriter {

    /** The staging columns in COPY order; {@link Batch#add} writes each row in this order. */
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

    private static final String COPY_SQL = "COPY " + IngestQueries.BATCH.getName() + " ("
            + STAGED.stream().map(Field::getName).collect(Collectors.joining(", ")) + ") FROM STDIN";

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);

    private final DataSource dataSource;

    public CallWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Starts a transaction that writes calls of {@code account}; close it to abandon it. */
    public Batch begin(UUID account) {
        try {
            return new Batch(dataSource.getConnection(), account);
        } catch (SQLException e) {
            throw new IngestFailure(e);
        }
    }

    /** Writes one call in a transaction of its own. */
    public WriteSummary writeOne(UUID account, IncomingCall call) {
        try (var batch = begin(account)) {
            batch.add(1, call);
            return batch.commit();
        }
    }

    /** The calls of one transaction. Not thread-safe: one producer feeds it. */
    public static final class Batch implements AutoCloseable {

        private final Connection connection;
        private final DSLContext ctx;
        private final UUID account;
        private final PGCopyOutputStream copy;
        private final StringBuilder row = new StringBuilder(1024);
        private long received;
        private boolean finished;

        private Batch(Connection connection, UUID account) throws SQLException {
            this.connection = connection;
            this.account = account;
            try {
                connection.setAutoCommit(false);
                this.ctx = DSL.using(connection, SQLDialect.POSTGRES, new Settings().withRenderSchema(false));
                IngestQueries.prepareStaging(ctx);
                this.copy = new PGCopyOutputStream(connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_SQL), 1 << 16);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                connection.close();
                throw e;
            }
        }

        /** Stages one valid call (and its transcript, if the report carried one). */
        public void add(long line, IncomingCall call) {
            received++;
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

        /** Merges what was staged and commits; the summary counts what happened to each call. */
        public WriteSummary commit() {
            try {
                copy.close();
                var summary = IngestQueries.merge(ctx, account, received);
                connection.commit();
                finished = true;
                return summary;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (SQLException e) {
                throw new IngestFailure(e);
            }
        }

        /** Rolls back unless committed, and returns the connection. */
        @Override
        public void close() {
            try (connection) {
                if (!finished) {
                    if (copy.isActive()) {
                        copy.cancelCopy();
                    }
                    connection.rollback();
                }
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                throw new IngestFailure(e);
            }
        }

        private void write() {
            try {
                copy.write(row.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            row.setLength(0);
        }

        // COPY text format: columns separated by tabs, \N for null, backslash escapes.

        private Batch nothing() {
            row.append("\\N\t");
            return this;
        }

        private Batch text(String value) {
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

        private Batch integer(Number value) {
            return value == null ? nothing() : plain(value.toString());
        }

        private Batch uuid(UUID value) {
            return value == null ? nothing() : plain(value.toString());
        }

        private Batch decimal(BigDecimal value) {
            return value == null ? nothing() : plain(value.toPlainString());
        }

        private Batch bool(Boolean value) {
            return value == null ? nothing() : plain(value ? "t" : "f");
        }

        /** UTC, written by hand: a formatter costs more than the rest of the row. */
        private Batch instant(Instant value) {
            if (value == null) {
                return nothing();
            }
            var t = LocalDateTime.ofEpochSecond(value.getEpochSecond(), value.getNano(), ZoneOffset.UTC);
            if (t.getYear() < 1 || t.getYear() > 9999) {
                return plain(TIMESTAMP.format(value));
            }
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

        private Batch plain(String value) {
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

    /** The database refused or failed a write; answered like any other database failure. */
    public static final class IngestFailure extends DataAccessException {
        IngestFailure(SQLException cause) {
            super("write failed: " + cause.getMessage(), cause);
        }
    }
}
