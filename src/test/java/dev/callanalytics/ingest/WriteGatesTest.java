package dev.callanalytics.ingest;

import dev.callanalytics.http.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writes of the same assistant pass one at a time, of different ones side by side, and no gate outlives its writes. */
class WriteGatesTest {

    static final UUID ACCOUNT = UUID.randomUUID();

    static TreeSet<UUID> of(UUID... assistants) {
        return new TreeSet<>(java.util.List.of(assistants));
    }

    /** Runs {@code entry} on another thread (gates are held per thread, as requests are) and returns what it returned. */
    static WriteGates.Passage elsewhere(java.util.function.Supplier<WriteGates.Passage> entry) {
        try {
            return CompletableFuture.supplyAsync(entry).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theSameAssistantWaitsOthersPassAndAWholeAccountWriteWaitsForAll() throws Exception {
        var gates = new WriteGates();
        var a = UUID.randomUUID();
        var b = UUID.randomUUID();
        var importOfA = gates.enter(ACCOUNT, of(a), false, Duration.ofSeconds(1));
        // another assistant passes at once
        gates.enter(ACCOUNT, of(b), false, Duration.ZERO).close();
        // the same assistant waits, and gives up with a 503 when the wait is over
        var refused = assertThrows(ApiException.class, () -> elsewhere(() -> gates.enter(ACCOUNT, of(a, b), false, Duration.ofMillis(100))));
        assertEquals(503, refused.status().code());
        // it passes as soon as the import is done
        var waiting = new CountDownLatch(1);
        var webhook = CompletableFuture.runAsync(() -> {
            waiting.countDown();
            gates.enter(ACCOUNT, of(a), false, Duration.ofSeconds(10)).close();
        });
        waiting.await();
        assertFalse(webhook.isDone());
        importOfA.close();
        webhook.get(5, TimeUnit.SECONDS);
        // a write of the whole account waits for any write of it, and every write of it for it
        var one = gates.enter(ACCOUNT, of(b), false, Duration.ZERO);
        assertThrows(ApiException.class, () -> elsewhere(() -> gates.enter(ACCOUNT, of(), true, Duration.ofMillis(50))));
        one.close();
        var whole = gates.enter(ACCOUNT, of(), true, Duration.ZERO);
        assertThrows(ApiException.class, () -> elsewhere(() -> gates.enter(ACCOUNT, of(UUID.randomUUID()), false, Duration.ofMillis(50))));
        elsewhere(() -> {
            var other = gates.enter(UUID.randomUUID(), of(a), false, Duration.ZERO); // another account is not held
            other.close();
            return other;
        });
        whole.close();
        assertEquals(0, gates.open(), "no gate outlives its writes, refused ones included");
    }

    @Test
    void aThousandWritesOfRandomAssistantsLeaveNoGateBehind() throws Exception {
        var gates = new WriteGates();
        var futures = new java.util.ArrayList<CompletableFuture<Void>>();
        for (int i = 0; i < 1000; i++) {
            futures.add(CompletableFuture.runAsync(() -> gates.enter(ACCOUNT, of(UUID.randomUUID(), UUID.randomUUID()), false,
                                                                     Duration.ofSeconds(10)).close()));
        }
        for (var future : futures) {
            future.get(30, TimeUnit.SECONDS);
        }
        assertTrue(gates.open() == 0, "gates left: " + gates.open());
    }
}
