package dev.callanalytics.http;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderNames;
import io.helidon.http.RequestException;
import io.helidon.webserver.http.ServerRequest;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Request bodies, read within three bounds, so that no caller holds what others need:
 * <ul>
 *   <li>size: a body over its route's limit is a 413, told by Content-Length before a byte is read;
 *   <li>time: a body that stops (no byte for the read timeout, see {@link GuardedHttp1}) or trickles (below
 *       {@value #MIN_BYTES_PER_SECOND} bytes/s on average once {@link #GRACE} has passed) is a 408;
 *   <li>heap: bodies held in memory, and the JSON they parse into, draw on one budget for the
 *       whole server; when it is spent, the next body is a 503 with Retry-After instead of an
 *       OutOfMemoryError that would take other requests with it.
 * </ul>
 * No database connection is taken while a body is read: routes read and validate first.
 */
public final class RequestBodies {

    /** Heap a body of n bytes may take while parsed: the bytes, the JSON tree, the validated call. */
    public static final int PARSE_FACTOR = 8;
    static final int MIN_BYTES_PER_SECOND = 16 * 1024;
    static final Duration GRACE = Duration.ofSeconds(10);
    private static final Duration BUDGET_WAIT = Duration.ofMillis(500);
    private static final int CHUNK = 64 * 1024;

    private final long budgetBytes;
    private final Semaphore budgetKiB;

    public RequestBodies(long budgetBytes) {
        this.budgetBytes = budgetBytes;
        this.budgetKiB = new Semaphore((int) Math.min(Integer.MAX_VALUE, budgetBytes / 1024), true);
    }

    /** The heap held right now by bodies being read and parsed. */
    public long reservedBytes() {
        return (budgetBytes / 1024 - budgetKiB.availablePermits()) * 1024L;
    }

    /**
     * The declared length of the body, or -1 when it is chunked; a 413 when over {@code maxBytes}.
     * RequestScreening has let through only a plain integer.
     */
    public static long declaredLength(ServerRequest req, long maxBytes) {
        long declared = req.headers().first(HeaderNames.CONTENT_LENGTH).map(Long::parseLong).orElse(-1L);
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return declared;
    }

    private static ApiException tooLarge(long maxBytes) {
        return ApiException.tooLarge("Request body too large: at most " + maxBytes + " bytes");
    }

    /** The whole body, at most {@code maxBytes}, its share of the heap held until the {@link Body} is closed. */
    public Body readAll(ServerRequest req, int maxBytes) {
        long declared = declaredLength(req, maxBytes);
        var reservation = reserve(PARSE_FACTOR * Math.max(0, declared));
        try (var in = stream(req)) {
            var body = new ByteArrayOutputStream((int) Math.max(0, declared));
            var chunk = new byte[(int) Math.min(CHUNK, Math.max(1024, declared))];
            for (int read; (read = in.read(chunk)) >= 0; ) {
                if (body.size() + read > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                reservation.growTo((long) PARSE_FACTOR * (body.size() + read));
                body.write(chunk, 0, read);
            }
            return new Body(body.toByteArray(), reservation);
        } catch (IOException e) {
            reservation.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            reservation.close();
            throw e;
        }
    }

    /** The body as a stream that fails with {@link BodyTimeout} when it stalls or trickles. */
    public InputStream stream(ServerRequest req) {
        return new MeteredInput(req.content().inputStream());
    }

    /** Heap held for a body until closed; {@link Reservation#growTo} takes more as the body grows. */
    public Reservation reserve(long bytes) {
        var reservation = new Reservation();
        reservation.growTo(bytes);
        return reservation;
    }

    /** A body read whole, and the heap reserved for it and for what it parses into. */
    public record Body(byte[] bytes, Reservation reservation) implements AutoCloseable {

        @Override
        public void close() {
            reservation.close();
        }
    }

    /** A share of the heap budget, released (once) on close. */
    public final class Reservation implements AutoCloseable {

        private int heldKiB;

        public void growTo(long bytes) {
            int wantedKiB = (int) Math.min(Integer.MAX_VALUE, (bytes + 1023) / 1024);
            int more = wantedKiB - heldKiB;
            if (more <= 0) {
                return;
            }
            if (wantedKiB * 1024L > budgetBytes) {
                throw ApiException.tooLarge("Request body too large for this server's memory budget ("
                                            + budgetBytes / PARSE_FACTOR + " bytes)");
            }
            try {
                if (!budgetKiB.tryAcquire(more, BUDGET_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw ApiException.unavailable("The server is reading many large bodies at once; retry shortly", 1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.unavailable("The server is shutting down; retry shortly", 1);
            }
            heldKiB = wantedKiB;
        }

        @Override
        public void close() {
            if (heldKiB > 0) {
                budgetKiB.release(heldKiB);
                heldKiB = 0;
            }
        }
    }

    /** Counts what arrives and gives up on a body that arrives too slowly or not at all. */
    static final class MeteredInput extends FilterInputStream {

        private final LongSupplier nanoClock;
        private final long started;
        private long received;
        private boolean ended;

        MeteredInput(InputStream in) {
            this(in, System::nanoTime);
        }

        MeteredInput(InputStream in, LongSupplier nanoClock) {
            super(in);
            this.nanoClock = nanoClock;
            this.started = nanoClock.getAsLong();
        }

        /**
         * Closes the body only when it was read to its end: Helidon's close reads what is left of
         * the body, which a stalled client would make wait for the read timeout. An answer to a
         * body left unread closes the connection instead (see ErrorResponses).
         */
        @Override
        public void close() throws IOException {
            if (ended) {
                super.close();
            }
        }

        @Override
        public int read() throws IOException {
            var one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read;
            try {
                read = super.read(buffer, offset, length);
            } catch (IOException | RuntimeException e) {
                var timeout = ErrorResponses.cause(e, BodyTimeout.class);
                if (timeout != null) {
                    throw timeout;
                }
                var framing = ErrorResponses.cause(e, RequestException.class);
                if (framing != null) {
                    // Helidon's own refusal (a body over the limit): TransportErrors answers it
                    throw framing;
                }
                if (e instanceof IOException || ErrorResponses.cause(e, DataReader.InsufficientDataAvailableException.class) != null
                    || ErrorResponses.cause(e, SocketException.class) != null) {
                    throw new UncheckedIOException("the request body ended early", e instanceof IOException io ? io : new IOException(e));
                }
                // what else reading a body can throw is a chunk that does not parse (a size that is not hex)
                throw ApiException.badRequestClosing("Malformed request: the chunked body is not valid chunked transfer coding");
            }
            if (read < 0) {
                ended = true;
            } else if (read > 0) {
                received += read;
                long elapsedNanos = nanoClock.getAsLong() - started;
                if (elapsedNanos > GRACE.toNanos() && received < MIN_BYTES_PER_SECOND * (elapsedNanos / 1_000_000_000L)) {
                    throw new BodyTimeout("The request body arrived slower than " + MIN_BYTES_PER_SECOND / 1024
                                          + " KiB/s on average; send it faster, or in smaller parts");
                }
            }
            return read;
        }
    }
}
