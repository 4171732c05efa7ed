package dev.callanalytics.app;

import dev.callanalytics.analytics.AnalyticsService;
import dev.callanalytics.auth.AccountQueries;
import dev.callanalytics.auth.Authenticator;
import dev.callanalytics.auth.Caller;
import dev.callanalytics.calllogs.CallLogsService;
import dev.callanalytics.health.HealthService;
import dev.callanalytics.http.ErrorResponses;
import dev.callanalytics.ingest.CallWriter;
import dev.callanalytics.ingest.IngestService;
import dev.callanalytics.http.Json;
import dev.callanalytics.http.OpenApiDocument;
import io.helidon.http.media.jackson.JacksonSupport;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import org.jooq.DSLContext;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import javax.sql.DataSource;
import java.time.Clock;
import java.util.logging.Logger;

import static dev.callanalytics.http.ErrorResponses.allowOnly;

/** The HTTP server: every route of the API, in one table. */
public final class ApiServer {

    private ApiServer() {
    }

    /** Starts the server on {@code port} (0 for any free port); fails with a {@link StartupFailure}. */
    private static final Logger ACCESS = Logger.getLogger("call-analytics.access");

    public static WebServer start(int port, DataSource dataSource, DSLContext ctx, Clock clock) {
        requireFree(port);
        var auth = new Authenticator(new AccountQueries(ctx));
        var analytics = new AnalyticsService(ctx, auth, clock);
        var callLogs = new CallLogsService(ctx, auth);
        var ingest = new IngestService(new CallWriter(dataSource), ctx, auth);
        var health = new HealthService(dataSource);
        var server = WebServer.builder()
                              .port(port)
                              .shutdownHook(true)
                              // A response written in pieces otherwise waits ~40 ms on Nagle's
                              // algorithm and the client's delayed ACK (measured: 50 ms on by-assistant).
                              .connectionOptions(socket -> socket.tcpNoDelay(true))
                              .mediaContext(media -> media.mediaSupportsDiscoverServices(false)
                                                          .addMediaSupport(JacksonSupport.create(Json.mapper())))
                              .routing(routing -> routes(routing, analytics, callLogs, ingest, health))
                              .build();
        // Helidon logs a port it cannot bind and comes back with a server that is not running.
        try {
            server.start();
        } catch (RuntimeException e) {
            if (!causedBy(e, BindException.class)) {
                throw e;
            }
        }
        if (!server.isRunning()) {
            throw new StartupFailure("port " + port + " is already in use: stop what listens there or set SERVER_PORT");
        }
        return server;
    }

    private static void routes(HttpRouting.Builder routing, AnalyticsService analytics, CallLogsService callLogs,
                               IngestService ingest, HealthService health) {
        ErrorResponses.register(routing);
        routing.addFilter(ApiServer::logRequest)
               .register("/health", health)
               .get("/openapi.yaml", OpenApiDocument::serve)
               .register("/analytics", analytics)
               .register("/assistant", callLogs)
               .register("/", ingest)
               // the same paths with another method: 405 with Allow
               .any("/analytics/dashboard", allowOnly("GET"))
               .any("/analytics/calls/by-assistant", allowOnly("GET"))
               .any("/analytics/calls/by-phone-number", allowOnly("GET"))
               .any("/analytics/calls/by-time", allowOnly("GET"))
               .any("/assistant/call-logs/{assistant_id}", allowOnly("GET"))
               .any("/calls/import", allowOnly("POST"))
               .any("/calls/{room_name}", allowOnly("PUT"))
               .any("/assistants/{assistant_id}", allowOnly("PUT"))
               .any("/webhooks/end-call/{token}", allowOnly("POST"))
               .any("/health/live", allowOnly("GET"))
               .any("/health/ready", allowOnly("GET"))
               .any("/openapi.yaml", allowOnly("GET"))
               .any(ErrorResponses::unknownRoute);
    }

    /** One line per request: method, path (without the webhook's token), status, time, account. */
    private static void logRequest(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long started = System.nanoTime();
        // Logged as the response goes out (status and time are final then), so that the line
        // exists by the time the client has its answer.
        res.beforeSend(() -> ACCESS.info(() -> "%s %d %d ms account=%s".formatted(
                ErrorResponses.loggable(req), res.status().code(), (System.nanoTime() - started) / 1_000_000,
                req.context().get(Caller.class).map(caller -> caller.accountId().toString()).orElse("-"))));
        chain.proceed();
    }

    /** Checked first so that a taken port is one line from us, not a Helidon stack trace. */
    private static void requireFree(int port) {
        if (port == 0) {
            return;
        }
        try (var probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new StartupFailure("port " + port + " is already in use: stop what listens there or set SERVER_PORT");
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (var cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
