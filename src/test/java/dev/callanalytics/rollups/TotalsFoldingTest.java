package dev.callanalytics.rollups;

import dev.callanalytics.testing.Eventually;
import dev.callanalytics.testing.TestApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.callanalytics.db.Tables.CALL_TOTALS;
import static org.jooq.impl.DSL.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * call_totals is written by appending and kept small by folding: writers of one account, all in
 * the same day and quarter hour, never wait for each other nor for a fold, every answer stays
 * exact while they run, and a fold leaves one row per period.
 */
class TotalsFoldingTest {

    @RegisterExtension
    static final TestApi api = TestApi.start();

    static String call(UUID assistant, int n) {
        return "{\"assistant_id\": \"" + assistant + "\", \"started_at\": \"2026-05-05T10:0" + n % 10 + ":00Z\", "
               + "\"call_duration_minutes\": 1.5, \"usage\": {\"llm_total_tokens\": 10}}";
    }

    @Test
    void concurrentWritersOfOneAccountAndFoldsKeepEveryTotalExact() throws Exception {
        var account = api.newAccount("folded");
        var rollups = new RollupQueries(api.ctx());
        var writing = new AtomicBoolean(true);
        var written = new AtomicLong();
        var folds = new AtomicLong();
        var failures = new ArrayList<String>();
        try (var pool = Executors.newFixedThreadPool(7)) {
            var tasks = new ArrayList<Callable<Void>>();
            for (int w = 0; w < 6; w++) {
                var assistant = UUID.randomUUID();   // one assistant each: the gates let them write at once
                int writer = w;
                tasks.add(() -> {
                    for (int n = 0; n < 40; n++) {
                        var response = api.send("PUT", "/calls/fold-" + writer + "-" + n, account.ingestKey(), call(assistant, n));
                        if (response.status() != 201) {
                            synchronized (failures) {
                                failures.add(response.status() + " " + response.body());
                            }
                        }
                        written.incrementAndGet();
                    }
                    return null;
                });
            }
            var folder = pool.submit(() -> {
                while (writing.get()) {
                    folds.addAndGet(rollups.foldTotals(50));
                    var dashboard = api.get("/analytics/dashboard?start_date=2026-05-05&end_date=2026-05-05", account).data();
                    long seen = dashboard.get("total_calls").asLong();
                    // each answer is one snapshot: its minutes are 1.5 per call it counts
                    if (dashboard.get("total_duration_minutes").decimalValue().compareTo(BigDecimal.valueOf(seen * 15, 1)) != 0) {
                        synchronized (failures) {
                            failures.add("torn dashboard: " + dashboard);
                        }
                    }
                }
                return null;
            });
            for (var done : pool.invokeAll(tasks)) {
                done.get();
            }
            writing.set(false);
            folder.get();
        }
        assertEquals(List.of(), failures);
        assertTrue(folds.get() > 0, "folds ran while the writers wrote");
        assertEquals(List.of(), rollups.verify(Optional.of(account.id())), "exact while rows were appended and folded");
        while (rollups.foldTotals(1000) > 0) {
            Thread.onSpinWait();
        }
        // one day and ten quarter hours (10:00 .. 10:09 fall in one): one row each once folded
        var rows = api.ctx().fetch(api.ctx().select(CALL_TOTALS.LEVEL, count())
                                           .from(CALL_TOTALS)
                                           .where(CALL_TOTALS.ACCOUNT_ID.eq(account.id()))
                                           .groupBy(CALL_TOTALS.LEVEL)
                                           .orderBy(CALL_TOTALS.LEVEL));
        assertEquals("[day 1, quarter 1]", rows.map(r -> r.value1() + " " + r.value2()).toString());
        var dashboard = api.get("/analytics/dashboard?start_date=2026-05-05&end_date=2026-05-05", account);
        assertEquals(240, dashboard.data().get("total_calls").asInt());
        assertTrue(dashboard.body().contains("\"total_duration_minutes\":360.00,"), dashboard.body());
        assertEquals(2400, api.get("/analytics/tokens/summary?start_date=2026-05-05&end_date=2026-05-05", account).data()
                              .get("total_llm_tokens").asInt());
        assertEquals(List.of(), rollups.verify(Optional.of(account.id())));
    }

    @Test
    void theServersFoldingLeavesOneRowPerPeriodSoonAfterTheWrites() throws Exception {
        var account = api.newAccount("folded by the server's job");
        var assistant = UUID.randomUUID();
        for (int n = 0; n < 12; n++) {
            assertEquals(201, api.send("PUT", "/calls/job-" + n, account.ingestKey(), call(assistant, n)).status());
        }
        var unfolded = CALL_TOTALS.ACCOUNT_ID.eq(account.id()).and(CALL_TOTALS.FOLDED.isFalse());
        assertTrue(api.ctx().fetchCount(CALL_TOTALS, unfolded) >= 24, "each write appended a day row and a quarter row");
        try (var folding = TotalsFolding.start(api.ctx(), Duration.ofMillis(100))) {
            assertTrue(Eventually.within(Duration.ofSeconds(10), () -> api.ctx().fetchCount(CALL_TOTALS, unfolded) == 0),
                       "the job folded them");
        }
        assertEquals(2, api.ctx().fetchCount(CALL_TOTALS, CALL_TOTALS.ACCOUNT_ID.eq(account.id())));
        assertEquals(List.of(), new RollupQueries(api.ctx()).verify(Optional.of(account.id())));
    }
}
