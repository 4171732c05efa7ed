package dev.callanalytics.web;

import dev.callanalytics.testing.TestApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page and its assets over plain HTTP: from the jar, without a key, locked down by their headers. */
class WebPageTest {

    @RegisterExtension
    static final TestApi api = TestApi.start();

    @Test
    void thePageAndItsAssetsAreServedFromTheJarWithTheirTypesAndAStrictPolicy() {
        var types = Map.of("/", "text/html; charset=utf-8", "/web/app.js", "text/javascript; charset=utf-8",
                           "/web/app.css", "text/css; charset=utf-8", "/web/chart.umd.min.js", "text/javascript; charset=utf-8");
        for (var asset : types.entrySet()) {
            // as a browser asks: no key, Accept of HTML first
            var response = api.sendRaw(HttpRequest.newBuilder(api.uri(asset.getKey())).header("Accept", "text/html,*/*;q=0.8"));
            assertEquals(200, response.status(), asset.getKey());
            assertEquals(asset.getValue(), response.headers().firstValue("Content-Type").orElseThrow());
            assertEquals(WebPage.CONTENT_SECURITY_POLICY, response.headers().firstValue("Content-Security-Policy").orElseThrow());
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElseThrow());
            assertTrue(response.body().length() > 100, asset.getKey());
        }
        var page = api.get("/", (String) null).body();
        assertTrue(page.contains("<script src=\"/web/chart.umd.min.js\" defer></script>") && page.contains("<label for=\"api-key\">API key</label>"));
        assertTrue(api.get("/web/chart.umd.min.js", (String) null).body().contains("Chart.js v4."), "Chart.js from its WebJar");
        var head = api.send("HEAD", "/", null, null);
        assertEquals(200, head.status());
        assertEquals("", head.body());
    }

    @Test
    void nothingElseIsAnAsset() {
        for (var path : new String[]{"/web/", "/web/index.html", "/web/app.js/", "/;x=1", "/web/app.js;x", "/web/secret.txt"}) {
            var response = api.get(path, (String) null);
            assertEquals(404, response.status(), path);
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow(), path);
        }
        var post = api.send("POST", "/", null, "{}");
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
    }
}
