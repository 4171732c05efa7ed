package dev.callanalytics.http;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;

/** The route-table conventions every service follows. */
public final class Routes {

    private Routes() {
    }

    /** A read route: GET, and HEAD answered alike without a body (see {@link Envelope#send}). */
    public static HttpRules get(HttpRules rules, String path, Handler handler) {
        var exact = exact(path, handler);
        return rules.get(path, exact)
                    .head(path, exact)
                    .any(path, exact(path, ErrorResponses.allowOnly("GET, HEAD")));
    }

    /** A write route: {@code method} only; any other method on the path is a 405 naming it. */
    public static HttpRules write(HttpRules rules, String method, String path, Handler handler) {
        return rules.route(io.helidon.http.Method.create(method), path, exact(path, handler))
                    .any(path, exact(path, ErrorResponses.allowOnly(method)));
    }

    /**
     * {@code handler} for the request paths that are {@code path}: Helidon matches
     * {@code /calls/export;x=1} as {@code /calls/export} (it drops matrix parameters), but here, as
     * in path parameters ({@link RequestPath}), a ';' is part of a segment's name, so that path is
     * no route. A path with parameters reads them from the raw path itself.
     */
    public static Handler exact(String path, Handler handler) {
        if (path.contains("{")) {
            return handler;
        }
        return (req, res) -> {
            if (req.path().absolute().rawPath().indexOf(';') >= 0) {
                ErrorResponses.unknownRoute(req, res);
            } else {
                handler.handle(req, res);
            }
        };
    }
}
