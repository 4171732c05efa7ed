package dev.callanalytics.web;

import dev.callanalytics.http.ErrorResponses;
import dev.callanalytics.http.Routes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The dashboard page ({@code GET /}) and its assets, from the jar: no CDN, nothing fetched at run
 * time. The chart library is Chart.js from its WebJar, pinned in the pom. A fixed table of
 * paths, so that no request names a file. The page is a client of the public API like any
 * other: it holds no key, and asks for one.
 */
public final class WebPage {

    /** What the page may load and where it may connect: this server only, no inline script or style. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                                  + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private record Asset(String contentType, byte[] body, String cacheControl) {
    }

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    public WebPage() {
        assets.put("/", new Asset("text/html; charset=utf-8", resource("web/index.html"), "no-cache"));
        assets.put("/web/app.js", new Asset("text/javascript; charset=utf-8", resource("web/app.js"), "no-cache"));
        assets.put("/web/app.css", new Asset("text/css; charset=utf-8", resource("web/app.css"), "no-cache"));
        // versioned by the WebJar: the same bytes for as long as this release runs
        assets.put("/web/chart.umd.min.js", new Asset("text/javascript; charset=utf-8",
                                                      resource("META-INF/resources/webjars/chart.js/" + chartJsVersion() + "/dist/chart.umd.min.js"),
                                                      "max-age=86400"));
    }

    /** The routes of the page, each a GET (and HEAD) of a fixed path. */
    public void routing(HttpRules rules) {
        for (var path : assets.keySet()) {
            Routes.get(rules, path, this::serve);
        }
    }

    private void serve(ServerRequest req, ServerResponse res) {
        // as everywhere in the API, a ";" in a path segment is part of its name: /;x=1 is no asset
        var asset = assets.get(req.path().absolute().rawPath());
        if (asset == null) {
            ErrorResponses.unknownRoute(req, res);
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, asset.contentType());
        res.header(HeaderNames.CACHE_CONTROL, asset.cacheControl());
        res.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        res.header("X-Content-Type-Options", "nosniff");
        res.header("Referrer-Policy", "no-referrer");
        if (req.prologue().method() == Method.HEAD) {
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(asset.body().length)).send();
        } else {
            res.send(asset.body());
        }
    }

    private static String chartJsVersion() {
        try (InputStream in = stream("META-INF/maven/org.webjars.npm/chart.js/pom.properties")) {
            var properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = stream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream stream(String name) {
        var in = WebPage.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is missing from the classpath");
        }
        return in;
    }
}
