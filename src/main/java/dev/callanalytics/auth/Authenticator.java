package dev.callanalytics.auth;

import dev.callanalytics.http.ApiException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Locale;
import java.util.Optional;

/**
 * Turns the {@code Authorization: Bearer <key>} header into a {@link Caller}, in front of each
 * route that needs one, so that the route table shows which scope every route requires.
 */
public final class Authenticator {

    private final AccountQueries readers;
    private final AccountQueries writers;

    /**
     * @param readers key lookups for read routes, on the read pool
     * @param writers key lookups for ingest routes, on the write pool: a flood of reads never
     *                keeps a webhook from being authenticated, nor the other way round
     */
    public Authenticator(AccountQueries readers, AccountQueries writers) {
        this.readers = readers;
        this.writers = writers;
    }

    /** A handler that runs only for a valid key with {@code scope}: 401 or 403 otherwise. */
    public Handler require(Scope scope, CallerHandler handler) {
        return (req, res) -> {
            var caller = authenticate(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null), scope);
            req.context().register(caller);
            handler.handle(caller, req, res);
        };
    }

    /** The caller of a key, checked for {@code scope}; {@code header} is the Authorization value. */
    public Caller authenticate(String header, Scope scope) {
        if (header == null || header.isBlank()) {
            throw ApiException.unauthorized("Missing Authorization header: send 'Authorization: Bearer <api key>'");
        }
        var parts = header.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer")) {
            throw ApiException.unauthorized("Malformed Authorization header: expected 'Bearer <api key>'");
        }
        return authenticateKey(parts[1].trim(), scope);
    }

    /** The caller of a bare key (as a webhook sends it in its URL), checked for {@code scope}. */
    public Caller authenticateKey(String key, Scope scope) {
        // what cannot be a key is refused without asking the database
        var accounts = scope == Scope.INGEST ? writers : readers;
        var caller = (ApiKey.isWellFormed(key) ? accounts.findCaller(key) : Optional.<Caller>empty())
                             .orElseThrow(() -> ApiException.unauthorized("Invalid or revoked API key"));
        if (!caller.scopes().contains(scope)) {
            throw ApiException.forbidden("This API key lacks the '" + scope.label() + "' scope that this endpoint requires");
        }
        return caller;
    }

    /** A route handler that is given the authenticated caller. */
    @FunctionalInterface
    public interface CallerHandler {
        void handle(Caller caller, ServerRequest req, ServerResponse res);
    }
}
