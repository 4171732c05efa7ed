package dev.callanalytics.ingest;

import dev.callanalytics.rollups.RollupQueries;
import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.callanalytics.db.Tables.ASSISTANTS;
import static dev.callanalytics.db.Tables.CALLS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writers that touch the same assistants, days and calls at once: they wait for each other but
 * never deadlock and never fail, and the rollups equal the raw calls afterwards.
 */
class ConcurrentWritersTest {

    @RegisterExtension
    static final TestApi api = TestApi.start();

    static String call(String room, UUID assistant, String day, String minutes) {
        return "{\"room_name\": \"" + room + "\", \"assistant_id\": \"" + assistant + "\", \"assistant_name\": \"A " + assistant.toString().substring(0, 4)
               + "\", \"call_status\": \"completed\", \"platform_number\": \"+1555000000" + (room.hashCode() & 3)
               + "\", \"started_at\": \"" + day + "T10:00:00Z\", \"call_duration_minutes\": " + minutes + "}";
    }

    static void assertRollupsExact(Account account) {
        assertEquals(List.of(), new RollupQueries(api.ctx()).verify(Optional.of(account.id())));
    }

    /** All at once: released together by a latch, so that they really overlap. */
    static Map<Integer, Integer> runTogether(List<Callable<Integer>> tasks) throws Exception {
        var statuses = new ConcurrentHashMap<Integer, Integer>();
        var start = new CountDownLatch(1);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<java.util.concurrent.Future<Integer>>();
            for (var task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            for (var future : futures) {
                statuses.merge(future.get(), 1, Integer::sum);
            }
        }
        return statuses;
    }

    @Test
    void fortyPairsOfImportsCrossingTwoAssistantsNeverDeadlock() throws Exception {
        var account = api.newAccount("pairs");
        var tasks = new ArrayList<Callable<Integer>>();
        for (int pair = 0; pair < 40; pair++) {
            var x = UUID.randomUUID();
            var y = UUID.randomUUID();
            var day = "2026-05-" + String.format("%02d", 1 + pair % 3);
            // a call of each, which the other import of the pair updates
            assertEquals(200, api.send("POST", "/calls/import", account.ingestKey(),
                                       call("x" + pair, x, day, "1") + "\n" + call("y" + pair, y, day, "1")).status());
            var intoX = IntStream.range(0, 5).mapToObj(i -> call("x" + i + "-" + UUID.randomUUID(), x, day, "2")).collect(Collectors.joining("\n"))
                        + "\n" + call("y" + (Integer) pair, y, day, "3");
            var intoY = IntStream.range(0, 5).mapToObj(i -> call("y" + i + "-" + UUID.randomUUID(), y, day, "2")).collect(Collectors.joining("\n"))
                        + "\n" + call("x" + (Integer) pair, x, day, "3");
            tasks.add(() -> api.send("POST", "/calls/import", account.ingestKey(), intoX).status());
            tasks.add(() -> api.send("POST", "/calls/import", account.ingestKey(), intoY).status());
        }
        assertEquals(Map.of(200, 80), runTogether(tasks));
        assertEquals(40 * 12, api.ctx().fetchCount(CALLS, CALLS.ACCOUNT_ID.eq(account.id())));
        assertRollupsExact(account);
    }

    @Test
    void twoHundredMixedWritersOverSharedAssistantsAndDaysAllSucceed() throws Exception {
        var account = api.newAccount("mixed");
        var assistants = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        var days = List.of("2026-06-01", "2026-06-02", "2026-06-03");
        var rooms = IntStream.range(0, 30).mapToObj(i -> "shared-" + i).toList();
        var random = new Random(42);
        var tasks = new ArrayList<Callable<Integer>>();
        for (int writer = 0; writer < 200; writer++) {
            // each report may move a shared call to another assistant, day and number
            String report = call(rooms.get(random.nextInt(rooms.size())), assistants.get(random.nextInt(4)),
                                 days.get(random.nextInt(3)), String.valueOf(random.nextInt(10)));
            var room = report.substring(report.indexOf(": \"") + 3, report.indexOf("\","));
            switch (writer % 4) {
                case 0 -> tasks.add(() -> api.send("PUT", "/calls/" + room, account.ingestKey(), report).status());
                case 1 -> tasks.add(() -> api.send("POST", "/webhooks/end-call/" + account.ingestKey(), null,
                                                   "{\"success\": true, \"message\": \"ended\", \"data\": " + report + "}").status());
                case 2 -> {
                    var lines = new ArrayList<String>();
                    for (int i = 0; i < 6; i++) {
                        lines.add(call(random.nextBoolean() ? rooms.get(random.nextInt(rooms.size())) : "new-" + UUID.randomUUID(),
                                       assistants.get(random.nextInt(4)), days.get(random.nextInt(3)), String.valueOf(random.nextInt(10))));
                    }
                    tasks.add(() -> api.send("POST", "/calls/import", account.ingestKey(), String.join("\n", lines)).status());
                }
                default -> {
                    var assistant = assistants.get(random.nextInt(4));
                    tasks.add(() -> {
                        int status = api.send("PUT", "/assistants/" + assistant, account.ingestKey(),
                                              "{\"assistant_name\": \"Renamed " + UUID.randomUUID() + "\"}").status();
                        // an assistant without a call yet is not found: the only other answer allowed
                        return status == 404 ? 200 : status;
                    });
                }
            }
        }
        var statuses = runTogether(tasks);
        assertTrue(statuses.keySet().stream().allMatch(status -> status == 200 || status == 201), "statuses " + statuses);
        assertRollupsExact(account);
        // every call's assistant exists, once
        var orphans = api.ctx().fetchCount(api.ctx().selectDistinct(CALLS.ASSISTANT_ID).from(CALLS)
                                              .where(CALLS.ACCOUNT_ID.eq(account.id()))
                                              .andNotExists(api.ctx().selectOne().from(ASSISTANTS)
                                                                     .where(ASSISTANTS.ACCOUNT_ID.eq(account.id()))
                                                                     .and(ASSISTANTS.ASSISTANT_ID.eq(CALLS.ASSISTANT_ID))));
        assertEquals(0, orphans);
    }
}
