package dev.callanalytics.app;

import dev.callanalytics.admin.AdminService;
import dev.callanalytics.analytics.AnalyticsQueries;
import dev.callanalytics.analytics.AnalyticsService;
import dev.callanalytics.auth.AccountQueries;
import dev.callanalytics.auth.Authenticator;
import dev.callanalytics.auth.Caller;
import dev.callanalytics.calllogs.CallLogsService;
import dev.callanalytics.health.HealthService;
import dev.callanalytics.http.ErrorResponses;
import dev.callanalytics.http.GuardedHttp1;
import dev.callanalytics.http.OpenApiDocument;
import dev.callanalytics.http.RequestPath;
import dev.callanalytics.http.RequestScreening;
import dev.callanalytics.http.Routes;
import dev.callanalytics.http.TransportErrors;
import dev.callanalytics.ingest.CallWriter;
import dev.callanalytics.ingest.IngestService;
import dev.callanalytics.search.Exports;
import dev.callanalytics.search.SearchService;
import dev.callanalytics.usage.UsageQueries;
import dev.callanalytics.usage.UsageService;
import dev.callanalytics.web.WebPage;
import io.helidon.http.DirectHandler.EventType;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http1.Http1Config;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.logging.Logger;

/** The HTTP server: every route of the API, in one table, and the limits of the transport. */
public final class ApiServer {

    private static final Logger ACCESS = Logger.getLogger("call-analytics.access");

    private ApiServer() {
    }

    /**
     * Starts the server on {@code settings.serverPort()} (0 for any free port) over the pools of a
     * migrated database; fails with a {@link StartupFailure}.
     */
    public static WebServer start(Settings settings, ServerPools pools, Clock clock) {
        requireFree(settings.serverPort());
        var auth = new Authenticator(new AccountQueries(Database.dsl(pools.reads())), new AccountQueries(Database.dsl(pools.writes())));
        var analyticsDsl = Database.analyticsDsl(pools.analyticsReads());
        var analyticsQueries = new AnalyticsQueries(analyticsDsl);
        var usageQueries = new UsageQueries(analyticsDsl);
        var analytics = new AnalyticsService(analyticsDsl, auth, pools.bodies(), clock);
        var usage = new UsageService(usageQueries, analyticsQueries, auth, clock);
        var admin = new AdminService(analyticsDsl, analyticsQueries, usageQueries, auth, clock);
        var callLogs = new CallLogsService(analyticsDsl, auth);
        // a search carries free text (q, names, numbers): its values are bound, never inlined
        var exports = new Exports(Database.dsl(pools.exports()), settings.exports().timeLimit(), settings.exports().stallLimit(), clock);
        var search = new SearchService(Database.dsl(pools.analyticsReads()), exports, auth);
        var writer = new CallWriter(pools.writes(), new CallWriter.Limits(settings.spoolDirectory(), settings.importTimeout(),
                                                                          settings.parallelImports()));
        var ingest = new IngestService(writer, auth, pools.bodies(), settings.spoolDirectory(),
                                       settings.maxImportBytes());
        var health = new HealthService(pools.probes(), pools.replica().map(ServerPools.Replica::monitor));
        var transportErrors = new TransportErrors(settings.maxImportBytes());
        var directHandlers = DirectHandlers.builder();
        for (var type : EventType.values()) {
            directHandlers.addHandler(type, transportErrors);
        }
        var server = WebServer.builder()
                              .port(settings.serverPort())
                              // stopped by the one shutdown sequence (Shutdown), before the pools it uses
                              .shutdownHook(false)
                              // A response written in pieces otherwise waits ~40 ms on Nagle's
                              // algorithm and the client's delayed ACK (measured: 50 ms on by-assistant).
                              // (Its readTimeout applies to client sockets only: GuardedHttp1 times reads.)
                              .connectionOptions(socket -> socket.tcpNoDelay(true))
                              .maxPayloadSize(settings.maxImportBytes())
                              .shutdownGracePeriod(settings.shutdownGrace())
                              .directHandlers(directHandlers.build())
                              // this HTTP/1.1 and no other (a second, discovered one would make Helidon
                              // guess the protocol of each connection, and close HTTP/1.0 ones unanswered)
                              .protocolsDiscoverServices(false)
                              .addConnectionSelector(GuardedHttp1.of(Http1Config.builder()
                                                                                 .maxPrologueLength(TransportErrors.MAX_REQUEST_LINE)
                                                                                 .maxHeadersSize(TransportErrors.MAX_HEADERS),
                                                                     settings.readTimeout()))
                              // the messages Helidon marks safe reach TransportErrors, which words the answer
                              .errorHandling(errors -> errors.includeEntity(true))
                              .routing(routing -> routes(routing, analytics, usage, admin, callLogs, search, ingest, health))
                              .build();
        // Helidon logs a port it cannot bind and comes back with a server that is not running.
        try {
            server.start();
        } catch (RuntimeException e) {
            if (ErrorResponses.cause(e, BindException.class) == null) {
                throw e;
            }
        }
        if (!server.isRunning()) {
            throw new StartupFailure("port " + settings.serverPort() + " is already in use: stop what listens there or set SERVER_PORT");
        }
        return server;
    }

    private static void routes(HttpRouting.Builder routing, AnalyticsService analytics, UsageService usage, AdminService admin,
                               CallLogsService callLogs, SearchService search, IngestService ingest, HealthService health) {
        ErrorResponses.register(routing);
        routing.addFilter(ApiServer::logRequest)
               .addFilter(RequestScreening::screen)
               .register("/health", health);
        Routes.get(routing, OpenApiDocument.PATH, OpenApiDocument::serve);
        // the dashboard page (GET /) and its assets
        new WebPage().routing(routing);
        routing.register("/analytics", analytics, usage)
               .register("/assistant", callLogs)
               // before ingestion's PUT /calls/{room_name}, to which it leaves PUT /calls/export
               .register("/calls", search)
               // the one route group that reads across accounts (the admin scope's)
               .register("/admin/analytics", admin)
               .register("/", ingest)
               .any(ErrorResponses::unknownRoute);
    }

    /**
     * One line per request: method, path (without the webhook's token or any key), status, time,
     * account. Written here rather than by Helidon's access-log feature, whose lines carry the
     * path as received: the webhook's key with it.
     */
    private static void logRequest(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long started = System.nanoTime();
        // Logged as the response goes out (status and time are final then), so that the line
        // exists by the time the client has its answer.
        res.beforeSend(() -> ACCESS.info(() -> "%s %d %d ms account=%s".formatted(
                RequestPath.loggable(req), res.status().code(), (System.nanoTime() - started) / 1_000_000,
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
}
