package dev.callanalytics.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callanalytics.auth.Scope;
import dev.callanalytics.demo.Demo;
import dev.callanalytics.testing.Csv;
import dev.callanalytics.testing.Eventually;
import dev.callanalytics.testing.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard page in a real browser (Debian's headless chromium, driven by its chromedriver)
 * against the real server on the demo data: what it shows equals what the API answers. Each
 * test leaves a screenshot in target/screenshots/ for a person to look at.
 */
class DashboardPageTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Path DOWNLOADS = Path.of("target", "downloads", "dashboard-page").toAbsolutePath();

    @RegisterExtension
    static final TestApi api = TestApi.start();
    static ChromeDriver browser;
    static String key;
    static String base;
    /** A range of whole UTC days of the demo data, so that "now" moving during a test changes nothing. */
    static String from;
    static String to;

    @BeforeAll
    static void demoAndBrowser() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                   "chromium and chromium-driver are not installed (.ci/run installs them)");
        base = "http://localhost:" + api.port();
        var printed = new StringWriter();
        Demo.loadAndAnnounce(api.database().dataSource(), api.ctx(), base, new PrintWriter(printed));
        assertTrue(printed.toString().contains("Dashboard page: open " + base + "/ and paste the key above."), printed.toString());
        key = api.newKey(new TestApi.Account(Demo.ACCOUNT, null, null), Set.of(Scope.READ));
        var today = LocalDate.now(ZoneOffset.UTC);
        from = today.minusDays(29).toString();
        to = today.minusDays(1).toString();

        Files.createDirectories(SCREENSHOTS);
        Files.createDirectories(DOWNLOADS);
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // root in CI: chromium's sandbox needs a user namespace it cannot have there
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,2000");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", DOWNLOADS.toString(),
                                                      "download.prompt_for_download", false));
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void freshTab() {
        browser.manage().window().setSize(new Dimension(1280, 2000));
        browser.get(base + "/");
        js("sessionStorage.clear()");
        browser.navigate().refresh();
        waitFor(() -> browser.findElement(By.id("api-key")).isDisplayed());
    }

    @AfterEach
    void screenshot(TestInfo test) throws IOException {
        if (browser != null) {
            var shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(test.getTestMethod().orElseThrow().getName() + ".png"),
                       StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void aWrongKeyIsToldPlainlyAndNotKept() {
        signIn("ca_" + "x".repeat(43));

        var error = browser.findElement(By.id("key-error"));
        waitFor(error::isDisplayed);
        assertEquals("That API key was not accepted: Invalid or revoked API key. Check it and paste it again.", error.getText());
        assertNull(js("return sessionStorage.getItem('call-analytics.api-key')"));
        assertFalse(browser.findElement(By.id("main")).isDisplayed());
    }

    @Test
    void theTotalsAreTheApisAndTheKeyStaysOutOfAddressesAndCookies() {
        signIn(key);
        showRange();

        var dashboard = api.get("/analytics/dashboard?start_date=" + from + "&end_date=" + to, key).data();
        assertEquals(dashboard.get("total_calls").asLong(), number("total-calls"));
        assertEquals(0, dashboard.get("total_duration_minutes").decimalValue().compareTo(decimal("total-minutes")));
        assertEquals(0, dashboard.get("total_duration_hours").decimalValue().compareTo(decimal("total-hours")));
        assertEquals(0, dashboard.get("avg_duration_minutes").decimalValue().compareTo(decimal("avg-minutes")));
        assertEquals(dashboard.get("calls_today").asLong(), number("calls-today"));
        assertEquals(dashboard.get("calls_this_week").asLong(), number("calls-week"));
        assertEquals(dashboard.get("calls_this_month").asLong(), number("calls-month"));
        assertTrue(dashboard.get("total_calls").asLong() > 1000, "the demo has calls in the range");
        // the tables hold a row per assistant and per number of the API's answers
        var assistants = api.get("/analytics/calls/by-assistant?start_date=" + from + "&end_date=" + to, key).data().get("assistants");
        assertEquals(assistants.size(), browser.findElements(By.cssSelector("#assistants-table tbody tr")).size());
        assertEquals(assistants.get(0).get("assistant_name").asText(),
                     browser.findElement(By.cssSelector("#assistants-table tbody tr th")).getText());

        assertFalse(browser.getCurrentUrl().contains(key));
        assertEquals("", js("return document.cookie"));
        assertEquals(key, js("return sessionStorage.getItem('call-analytics.api-key')"));
    }

    @Test
    void theChartHasAPointPerBucketAndFollowsTheGranularitySwitch() {
        signIn(key);
        showRange();

        var points = new java.util.LinkedHashMap<String, Long>();
        for (var granularity : List.of("week", "month", "day")) {
            browser.findElement(By.cssSelector("input[name=granularity][value=" + granularity + "]")).click();
            long expected = api.get("/analytics/calls/by-time?fill=zero&granularity=" + granularity + "&start_date=" + from + "&end_date=" + to,
                                    key).data().get("time_series").size();
            waitFor(() -> chartPoints() == expected);
            assertEquals(expected, browser.findElements(By.cssSelector("#time-table tbody tr")).size(), granularity);
            points.put(granularity, expected);
        }
        assertEquals(29, points.get("day"), "a point for each of the 29 days, empty ones too");
        assertTrue(points.get("week") >= 5 && points.get("week") <= 6 && points.get("month") <= 2, points.toString());
    }

    @Test
    void aWordSaidInOneCallFindsItAndOpeningItShowsTheTranscript() {
        signIn(key);
        var q = browser.findElement(By.id("q"));
        q.sendKeys(Demo.WORD_IN_ONE_CALL);
        q.sendKeys(Keys.ENTER);

        waitFor(() -> rows().size() == 1 && rows().getFirst().getAttribute("data-room") != null
                      && browser.findElement(By.id("page-label")).getText().equals("Page 1"));
        var room = rows().getFirst().getAttribute("data-room");
        var found = api.get("/calls?q=" + Demo.WORD_IN_ONE_CALL, key).data().get("calls");
        assertEquals(1, found.size());
        assertEquals(found.get(0).get("room_name").asText(), room);

        // by keyboard: focus the row's button, press Enter
        var open = rows().getFirst().findElement(By.tagName("button"));
        open.sendKeys(Keys.ENTER);
        var panel = browser.findElement(By.id("panel"));
        waitFor(panel::isDisplayed);
        assertEquals("close-panel", js("return document.activeElement.id"));
        var matched = panel.findElements(By.cssSelector("#transcript li.matched"));
        assertEquals(1, matched.size());
        assertTrue(matched.getFirst().getText().toLowerCase().contains(Demo.WORD_IN_ONE_CALL), matched.getFirst().getText());
        assertEquals(found.get(0).get("transcripts").size(), panel.findElements(By.cssSelector("#transcript li")).size());
        browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        waitFor(() -> !panel.isDisplayed());
        assertEquals(open, browser.switchTo().activeElement(), "focus returns to the button that opened the panel");
    }

    @Test
    void pagingGoesForwardAndBackWithoutRepeats() {
        signIn(key);
        waitFor(() -> rows().size() == 20);
        var pages = new ArrayList<List<String>>();
        pages.add(roomsShown());
        assertFalse(browser.findElement(By.id("prev")).isEnabled());
        for (int page = 2; page <= 3; page++) {
            var before = pages.getLast();
            browser.findElement(By.id("next")).click();
            waitFor(() -> !roomsShown().equals(before) && rows().size() == 20);
            pages.add(roomsShown());
        }
        var all = new HashSet<String>();
        pages.forEach(all::addAll);
        assertEquals(60, all.size(), "three pages, no call twice");
        // the API's own pages are the same
        var apiFirst = api.get("/calls?limit=20", key).data();
        assertEquals(rooms(apiFirst.get("calls")), pages.get(0));
        assertEquals(rooms(api.get("/calls?limit=20&cursor=" + apiFirst.get("next").asText(), key).data().get("calls")), pages.get(1));

        browser.findElement(By.id("prev")).click();
        waitFor(() -> roomsShown().equals(pages.get(1)));
        browser.findElement(By.id("prev")).click();
        waitFor(() -> roomsShown().equals(pages.get(0)));
        assertEquals("Page 1", browser.findElement(By.id("page-label")).getText());
        assertFalse(browser.findElement(By.id("prev")).isEnabled());
    }

    @Test
    void theExportDownloadsACsvWhoseRowsAreTheSearchs() throws Exception {
        try (var old = Files.list(DOWNLOADS)) {
            for (var file : old.toList()) {
                Files.delete(file);
            }
        }
        signIn(key);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("f-status"))).selectByValue("busy");
        setValue("f-start", from);
        setValue("f-end", LocalDate.parse(from).plusDays(6).toString());
        browser.findElement(By.cssSelector("#search button[type=submit]")).click();
        waitFor(() -> !rows().isEmpty() && !rows().getFirst().getText().contains("No calls"));

        browser.findElement(By.id("export")).click();
        var file = new Path[1];
        Eventually.await(Duration.ofSeconds(20), () -> {
            try (var listed = Files.list(DOWNLOADS)) {
                var done = listed.filter(p -> p.getFileName().toString().matches("calls-\\d{4}-\\d{2}-\\d{2}\\.csv")).findFirst();
                done.ifPresent(p -> file[0] = p);
                return done.isPresent();
            }
        });
        var rows = Csv.parse(Files.readString(file[0], StandardCharsets.UTF_8));

        var expected = new ArrayList<JsonNode>();
        String cursor = null;
        do {
            var page = api.get("/calls?limit=100&call_status=busy&start_date=" + from + "&end_date=" + LocalDate.parse(from).plusDays(6)
                               + (cursor == null ? "" : "&cursor=" + cursor), key).data();
            page.get("calls").forEach(expected::add);
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        } while (cursor != null);
        assertTrue(expected.size() > 20, "more than a page of busy calls that week: " + expected.size());
        assertEquals(expected.size(), rows.size() - 1);
        for (int i = 0; i < expected.size(); i++) {
            Csv.assertRowIs(rows.getFirst(), rows.get(i + 1), expected.get(i));
        }
    }

    @Test
    void everyControlHasALabelTextHasContrastAndAPhoneNeedsNoSidewaysScroll() throws Exception {
        signIn(key);
        waitFor(() -> rows().size() == 20);
        @SuppressWarnings("unchecked")
        var unlabelled = (List<String>) js("""
                return [...document.querySelectorAll('input, select, button')]
                  .filter(e => e.offsetParent !== null || e.type === 'radio')
                  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
                  .map(e => e.outerHTML);
                """);
        assertEquals(List.of(), unlabelled);
        for (var selector : List.of("body", ".hint", "#total-calls", "#search button[type=submit]", "#results td", ".tiles dt")) {
            var ratio = ((Number) js(CONTRAST, selector)).doubleValue();
            assertTrue(ratio >= 4.5, selector + " has a contrast of " + ratio);
        }
        // Tab reaches the search box from the range form
        browser.findElement(By.id("timezone")).click();
        var reached = new ArrayList<String>();
        for (int i = 0; i < 40 && !"q".equals(js("return document.activeElement.id")); i++) {
            browser.switchTo().activeElement().sendKeys(Keys.TAB);
            reached.add(String.valueOf(js("return document.activeElement.id")));
        }
        assertEquals("q", js("return document.activeElement.id"), "tabbed through " + reached);

        browser.manage().window().setSize(new Dimension(390, 844));
        waitFor(() -> ((Number) js("return window.innerWidth")).intValue() <= 400);
        var tooWide = js("""
                return [...document.querySelectorAll('body *')].filter(e => e.offsetParent !== null || e.tagName === 'MAIN')
                  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                  .filter(e => !(e.parentElement && e.parentElement.closest('.scroll')))
                  .map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 10);
                """);
        // Chart.js follows the new width on its next frame
        assertTrue(Eventually.within(Duration.ofSeconds(5),
                                     () -> ((Number) js("return document.documentElement.scrollWidth - document.documentElement.clientWidth")).intValue() <= 0),
                   "the page is no wider than a phone: " + js("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
                   + " " + tooWide);
    }

    /** WCAG's contrast ratio of an element's text colour on the first opaque background behind it. */
    private static final String CONTRAST = """
            const element = document.querySelector(arguments[0]);
            const rgb = c => c.match(/[\\d.]+/g).map(Number);
            const luminance = ([r, g, b]) => [r, g, b].map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4))
                                                   .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
            let back = element;
            while (back && (getComputedStyle(back).backgroundColor === 'rgba(0, 0, 0, 0)' || getComputedStyle(back).backgroundColor === 'transparent')) {
              back = back.parentElement;
            }
            const fg = luminance(rgb(getComputedStyle(element).color));
            const bg = luminance(rgb(back ? getComputedStyle(back).backgroundColor : 'rgb(255, 255, 255)'));
            return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
            """;

    private static void signIn(String apiKey) {
        var field = browser.findElement(By.id("api-key"));
        field.clear();
        field.sendKeys(apiKey);
        field.sendKeys(Keys.ENTER);
        if (apiKey.equals(key)) {
            waitFor(() -> browser.findElement(By.id("main")).isDisplayed() && !browser.findElement(By.id("total-calls")).getText().equals("–"));
        }
    }

    /** Sets the analytics' range to [from, to] and waits for the page to show it. */
    private static void showRange() {
        setValue("start-date", from);
        setValue("end-date", to);
        browser.findElement(By.cssSelector("#range button[type=submit]")).click();
        waitFor(() -> browser.findElement(By.id("range-label")).getText().startsWith(from + " to " + to));
    }

    private static void setValue(String id, String value) {
        js("document.getElementById(arguments[0]).value = arguments[1]", id, value);
    }

    private static long chartPoints() {
        return ((Number) js("return window.callAnalytics.chartPoints()")).longValue();
    }

    private static List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#results tbody tr"));
    }

    private static List<String> roomsShown() {
        return rows().stream().map(row -> row.getAttribute("data-room")).toList();
    }

    private static List<String> rooms(JsonNode calls) {
        var rooms = new ArrayList<String>();
        calls.forEach(c -> rooms.add(c.get("room_name").asText()));
        return rooms;
    }

    private static long number(String id) {
        return Long.parseLong(browser.findElement(By.id(id)).getText().replace(",", ""));
    }

    private static java.math.BigDecimal decimal(String id) {
        return new java.math.BigDecimal(browser.findElement(By.id(id)).getText().replace(",", ""));
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, Duration.ofSeconds(15)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                                                          .until(driver -> condition.getAsBoolean());
    }
}
