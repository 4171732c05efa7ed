package dev.callanalytics.http;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;

/** The route-table conventions every service follows. */
public final class Routes {

    private Routes() {
    }

    /** A read route: GET, and HEAD answered alike without a body (see {@link Envelope#send}). */
    public static HttpRules get(HttpRules rules, String path, Handler handler) {
        return rules.get(path, handler)
                    .head(path, handler)
                    .any(path, ErrorResponses.allowOnly("GET, HEAD"));
    }

    /** A write route: {@code method} only; any other method on the path is a 405 naming it. */
    public static HttpRules write(HttpRules rules, String method, String path, Handler handler) {
        return rules.route(io.helidon.http.Method.create(method), path, handler)
                    .any(path, ErrorResponses.allowOnly(method));
    }
}
