package dev.callanalytics.search;

import dev.callanalytics.http.ApiException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerResponse;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Streams exports: rows from a server-side cursor straight into the response, so that memory
 * holds one batch whatever the export's size. What an export may hold is bounded, so that no
 * client, slow or hostile, keeps what others need:
 * <ul>
 *   <li>a connection of its own pool ({@code EXPORT_CONNECTIONS}), never one of the reads';
 *   <li>one export at a time per account (a second is a 429 until the first ends);
 *   <li>a client that stops reading for {@code stallLimit} is cut off, and so is an export
 *       still running after {@code timeLimit};
 *   <li>a client that goes away ends the query at once: the next write fails, the cursor is
 *       closed and the transaction rolled back.
 * </ul>
 * An export cut short ends without the last chunk of the chunked response, so the client sees
 * a broken transfer, never a file that looks whole.
 */
public final class Exports {

    private static final Logger LOG = Logger.getLogger(Exports.class.getName());
    private static final int OUTPUT_BUFFER = 64 * 1024;

    private final DSLContext ctx;
    private final Duration timeLimit;
    private final Duration stallLimit;
    private final Clock clock;
    private final Set<UUID> running = ConcurrentHashMap.newKeySet();

    /** One thread for the process, which looks at each export in flight a few times a second. */
    private static final ScheduledExecutorService WATCHDOG =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("export-watchdog").factory());

    /** @param ctx on the export pool; free text is bound, never inlined */
    public Exports(DSLContext ctx, Duration timeLimit, Duration stallLimit, Clock clock) {
        this.ctx = ctx;
        this.timeLimit = timeLimit;
        this.stallLimit = stallLimit;
        this.clock = clock;
    }

    /** Streams the calls {@code filter} selects as {@code format} into {@code res}. */
    void export(UUID account, CallFilter filter, boolean newestFirst, ExportFormat format, ServerResponse res) {
        if (!running.add(account)) {
            throw ApiException.tooManyRequests("An export of this account is already running: retry when it has finished", 5);
        }
        try {
            ctx.transaction(tx -> {
                try (var rows = SearchQueries.export(DSL.using(tx), account, filter, newestFirst)) {
                    // the query runs and the first batch is in: from here on the answer is the file
                    describe(format, res);
                    var watch = new Watch(Thread.currentThread(), System.nanoTime());
                    long period = Math.max(50, Math.min(1000, stallLimit.toMillis() / 4));
                    var watching = WATCHDOG.scheduleWithFixedDelay(() -> check(watch), period, period, TimeUnit.MILLISECONDS);
                    try {
                        var out = new OutputStreamWriter(new BufferedOutputStream(new Watched(res.outputStream(), watch), OUTPUT_BUFFER),
                                                         StandardCharsets.UTF_8);
                        var writer = format.writer(out);
                        writer.header();
                        for (var row : rows) {
                            if (watch.expired) {
                                throw new CloseConnectionException("export ran past its time limit");
                            }
                            writer.row(row);
                        }
                        writer.finish();
                        out.close(); // the last chunk: the file is whole
                    } catch (IOException | UncheckedIOException e) {
                        // the client went away, or was cut off by the watchdog (which interrupted us)
                        Thread.interrupted();
                        LOG.fine(() -> "export ended early: " + e);
                        throw new CloseConnectionException("export ended: the client is gone", e);
                    } finally {
                        watching.cancel(false);
                    }
                }
            });
        } finally {
            running.remove(account);
        }
    }

    /** The headers of an export: its media type, and a download named after the day (UTC). */
    void describe(ExportFormat format, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, format.contentType());
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"calls-" + LocalDate.now(clock.withZone(ZoneOffset.UTC))
                                                    + "." + format.label() + "\"");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
    }

    /**
     * Cuts off an export whose client has taken nothing for {@code stallLimit}, or that is past
     * {@code timeLimit} (flagged: the export stops before its next row, or here if it is blocked).
     */
    private void check(Watch watch) {
        long now = System.nanoTime();
        if (now - watch.started > timeLimit.toNanos()) {
            watch.expired = true;
        }
        long writing = watch.writingSince;
        if (writing != 0 && (now - writing > stallLimit.toNanos() || watch.expired)) {
            LOG.info(() -> "export cut off: " + (watch.expired ? "past its time limit" : "its client took nothing for " + stallLimit));
            // a virtual thread blocked on a socket is freed by an interrupt, which closes the socket
            watch.thread.interrupt();
        }
    }

    /** One export in flight: when it started, and since when it has been blocked in a write (0: not writing). */
    private static final class Watch {
        final Thread thread;
        final long started;
        volatile long writingSince;
        volatile boolean expired;

        Watch(Thread thread, long started) {
            this.thread = thread;
            this.started = started;
        }
    }

    /** The response's stream, telling the watch when a write blocks and when it returns. */
    private static final class Watched extends OutputStream {
        private final OutputStream out;
        private final Watch watch;

        Watched(OutputStream out, Watch watch) {
            this.out = out;
            this.watch = watch;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            watch.writingSince = System.nanoTime();
            try {
                out.write(b, off, len);
            } finally {
                watch.writingSince = 0;
            }
        }

        @Override
        public void flush() throws IOException {
            watch.writingSince = System.nanoTime();
            try {
                out.flush();
            } finally {
                watch.writingSince = 0;
            }
        }

        @Override
        public void close() throws IOException {
            watch.writingSince = System.nanoTime();
            try {
                out.close();
            } finally {
                watch.writingSince = 0;
            }
        }
    }
}
