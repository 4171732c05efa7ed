package dev.callanalytics.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.PeerInfo;
import io.helidon.http.DirectHandler.EventType;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * HTTP/1.1 as Helidon serves it, with the one check it leaves out: method names are
 * case-sensitive (RFC 9110, 9.1), but Helidon reads {@code get} as {@code GET}. A proxy in
 * front would not treat {@code get} as a GET (nor apply its GET rules to it), so the API must not
 * either: such a request is a 400, in the envelope.
 *
 * <p>Helidon hands its listeners the request line already parsed, so the connection's reader is
 * wrapped to keep the bytes of the last line it read (the request line, when the listener hears
 * of it), and the method is checked against them.
 */
public final class CaseSensitiveMethods implements ServerConnectionSelector {

    private final Http1ConnectionSelector http1;

    private CaseSensitiveMethods(Http1ConnectionSelector http1) {
        this.http1 = http1;
    }

    /** The HTTP/1.1 connections of {@code config}, with the check added to it. */
    public static CaseSensitiveMethods of(Http1Config.Builder config) {
        return new CaseSensitiveMethods(Http1ConnectionSelector.builder()
                                                              .config(config.addReceiveListener(new MethodCheck()).build())
                                                              .build());
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
        return http1.connection(new RecordingContext(ctx));
    }

    /** Refuses a request whose method, as sent, is not the method Helidon understood. */
    private static final class MethodCheck implements Http1ConnectionListener {

        @Override
        public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
            if (!(ctx instanceof RecordingContext recording)) {
                return;
            }
            var method = prologue.method().text().getBytes(StandardCharsets.US_ASCII);
            var line = recording.reader.lastRead;
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
    }

    /** A reader over the connection's reader that keeps the bytes of its last {@link #readBytes}. */
    private static final class RecordingReader extends DataReader {

        private byte[] lastRead;

        RecordingReader(DataReader source) {
            super(() -> {
                try {
                    source.ensureAvailable();
                } catch (InsufficientDataAvailableException e) {
                    return null;
                }
                return source.readBytes(source.available());
            });
        }

        @Override
        public byte[] readBytes(int len) {
            lastRead = super.readBytes(len);
            return lastRead;
        }
    }

    /** The connection as Helidon's HTTP/1.1 sees it, reading through a {@link RecordingReader}. */
    private static final class RecordingContext implements ConnectionContext {

        private final ConnectionContext delegate;
        private final RecordingReader reader;

        RecordingContext(ConnectionContext delegate) {
            this.delegate = delegate;
            this.reader = new RecordingReader(delegate.dataReader());
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
