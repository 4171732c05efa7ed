package dev.callanalytics.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.PeerInfo;
import io.helidon.http.DirectHandler.EventType;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * HTTP/1.1 as Helidon serves it, with two things it leaves out:
 * <ul>
 *   <li>method names are case-sensitive (RFC 9110, 9.1), but Helidon reads {@code get} as
 *       {@code GET}; a proxy in front would not treat {@code get} as a GET, nor apply its GET
 *       rules to it, so such a request is a 400 here;
 *   <li>a read timeout: Helidon applies none to the sockets it accepts, so a client that sends
 *       half a request and stops would hold its connection for ever. Here the head of a request
 *       (request line and headers, or the wait for them on a kept-alive connection) must arrive
 *       within the read timeout of its first read, and each read of a body within the read
 *       timeout; past it the connection is closed (a virtual thread interrupted in a socket read
 *       closes the socket), and a body read so cut off is a {@link BodyTimeout}.
 * </ul>
 * Both need the connection's reads: its reader is wrapped, keeping the bytes of the last line it
 * read (the request line, when the listener hears of it) and timing every read from the socket.
 */
public final class GuardedHttp1 implements ServerConnectionSelector {

    private final Http1ConnectionSelector http1;
    private final Duration readTimeout;

    private GuardedHttp1(Http1ConnectionSelector http1, Duration readTimeout) {
        this.http1 = http1;
        this.readTimeout = readTimeout;
    }

    /** The HTTP/1.1 connections of {@code config}, guarded. */
    public static GuardedHttp1 of(Http1Config.Builder config, Duration readTimeout) {
        var listener = new Phases();
        return new GuardedHttp1(Http1ConnectionSelector.builder()
                                                       .config(config.addReceiveListener(listener).addSendListener(listener).build())
                                                       .build(),
                                readTimeout);
    }

    @Override
    public int bytesToIdentifyConnection() {
        return http1.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData data) {
        return http1.supports(data);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return http1.connection(new GuardedContext(ctx, readTimeout));
    }

    /** Checks the method as sent, and tells the connection which part of a request it is reading. */
    private static final class Phases implements Http1ConnectionListener {

        @Override
        public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
            if (!(ctx instanceof GuardedContext guarded)) {
                return;
            }
            var method = prologue.method().text().getBytes(StandardCharsets.US_ASCII);
            var line = guarded.reader.lastRead;
            boolean asSent = line != null && line.length > method.length && line[method.length] == ' ';
            for (int i = 0; asSent && i < method.length; i++) {
                asSent = line[i] == method[i];
            }
            if (!asSent) {
                throw RequestException.builder()
                                      .type(EventType.BAD_REQUEST)
                                      .status(Status.BAD_REQUEST_400)
                                      .message("method names are case-sensitive")
                                      .safeMessage(true)
                                      .build();
            }
        }

        @Override
        public void headers(ConnectionContext ctx, Headers headers) {
            if (ctx instanceof GuardedContext guarded) {
                guarded.reader.readingBody();
            }
        }

        @Override
        public void status(ConnectionContext ctx, Status status) {
            if (ctx instanceof GuardedContext guarded) {
                guarded.reader.readingHead();
            }
        }
    }

    /** Socket reads in progress, and the thread that interrupts those past their deadline. */
    private static final class Deadlines {

        private static final Set<PendingRead> PENDING = ConcurrentHashMap.newKeySet();
        private static final Duration TICK = Duration.ofMillis(200);

        static {
            var watchdog = new Thread(Deadlines::watch, "call-analytics-read-deadlines");
            watchdog.setDaemon(true);
            watchdog.start();
        }

        record PendingRead(Thread reader, long deadlineNanos, AtomicBoolean expired) {
        }

        static PendingRead start(long deadlineNanos) {
            var read = new PendingRead(Thread.currentThread(), deadlineNanos, new AtomicBoolean());
            PENDING.add(read);
            return read;
        }

        static void end(PendingRead read) {
            PENDING.remove(read);
        }

        private static void watch() {
            while (true) {
                try {
                    Thread.sleep(TICK);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                for (var read : PENDING) {
                    if (now - read.deadlineNanos() > 0 && read.expired().compareAndSet(false, true)) {
                        read.reader().interrupt();
                    }
                }
            }
        }
    }

    /**
     * A reader over the connection's reader that keeps the bytes of its last {@link #readBytes}
     * and gives every read from the socket a deadline.
     */
    private static final class GuardedReader extends DataReader {

        private final long timeoutNanos;
        private volatile boolean inBody;
        private volatile long headStarted;
        private byte[] lastRead;

        GuardedReader(DataReader source, Duration timeout, AtomicReference<GuardedReader> self) {
            super(() -> self.get().pull(source));
            this.timeoutNanos = timeout.toNanos();
        }

        static GuardedReader over(DataReader source, Duration timeout) {
            var self = new AtomicReference<GuardedReader>();
            var reader = new GuardedReader(source, timeout, self);
            self.set(reader);
            return reader;
        }

        void readingBody() {
            inBody = true;
        }

        void readingHead() {
            inBody = false;
            headStarted = 0;
        }

        private byte[] pull(DataReader source) {
            long now = System.nanoTime();
            long deadline;
            if (inBody) {
                deadline = now + timeoutNanos;
            } else {
                if (headStarted == 0) {
                    headStarted = now;
                }
                deadline = headStarted + timeoutNanos;
            }
            var read = Deadlines.start(deadline);
            try {
                source.ensureAvailable();
            } catch (InsufficientDataAvailableException e) {
                return null;
            } catch (RuntimeException e) {
                if (read.expired().get()) {
                    Thread.interrupted();
                    if (!inBody) {
                        // before a route has the request: Helidon answers it through TransportErrors
                        throw RequestException.builder()
                                              .type(EventType.OTHER)
                                              .status(Status.REQUEST_TIMEOUT_408)
                                              .message("request head timed out")
                                              .safeMessage(true)
                                              .build();
                    }
                    throw new BodyTimeout("The request body stopped arriving: nothing came for the server's read timeout");
                }
                throw e;
            } finally {
                Deadlines.end(read);
            }
            if (read.expired().get()) {
                // the deadline passed as the data came: the interrupt is ours to clear
                Thread.interrupted();
            }
            return source.readBytes(source.available());
        }

        @Override
        public byte[] readBytes(int len) {
            lastRead = super.readBytes(len);
            return lastRead;
        }
    }

    /** The connection as Helidon's HTTP/1.1 sees it, reading through a {@link GuardedReader}. */
    private static final class GuardedContext implements ConnectionContext {

        private final ConnectionContext delegate;
        private final GuardedReader reader;

        GuardedContext(ConnectionContext delegate, Duration readTimeout) {
            this.delegate = delegate;
            this.reader = GuardedReader.over(delegate.dataReader(), readTimeout);
        }

        @Override
        public DataReader dataReader() {
            return reader;
        }

        @Override
        public ListenerContext listenerContext() {
            return delegate.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return delegate.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return delegate.dataWriter();
        }

        @Override
        public Router router() {
            return delegate.router();
        }

        @Override
        public Optional<ProxyProtocolData> proxyProtocolData() {
            return delegate.proxyProtocolData();
        }

        @Override
        public PeerInfo remotePeer() {
            return delegate.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return delegate.localPeer();
        }

        @Override
        public boolean isSecure() {
            return delegate.isSecure();
        }

        @Override
        public String socketId() {
            return delegate.socketId();
        }

        @Override
        public String childSocketId() {
            return delegate.childSocketId();
        }
    }
}
