package dev.callanalytics.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A body that trickles is given up once its grace period is over; one that keeps pace is read whole. */
class MeteredInputTest {

    static final long SECOND = 1_000_000_000L;

    @Test
    void aBodyBelowTheMinimumRateAfterTheGracePeriodIsA408() throws IOException {
        var clock = new AtomicLong();
        var body = new RequestBodies.MeteredInput(new ByteArrayInputStream(new byte[1 << 20]), clock::get);
        var chunk = new byte[1024];
        // within the grace period anything goes
        clock.set(RequestBodies.GRACE.toNanos() - 1);
        assertEquals(1024, body.read(chunk));
        // 11 s in, 2 KiB read: far below 16 KiB/s
        clock.set(RequestBodies.GRACE.toNanos() + SECOND);
        var timeout = assertThrows(BodyTimeout.class, () -> body.read(chunk));
        assertEquals("The request body arrived slower than 16 KiB/s on average; send it faster, or in smaller parts", timeout.getMessage());
    }

    @Test
    void aBodyAtTheMinimumRateIsReadWhole() throws IOException {
        var clock = new AtomicLong();
        int seconds = 30;
        var body = new RequestBodies.MeteredInput(new ByteArrayInputStream(new byte[RequestBodies.MIN_BYTES_PER_SECOND * seconds]), clock::get);
        var chunk = new byte[RequestBodies.MIN_BYTES_PER_SECOND];
        long read = 0;
        for (int second = 1; second <= seconds; second++) {
            clock.set(second * SECOND);
            read += body.read(chunk);
        }
        assertEquals(RequestBodies.MIN_BYTES_PER_SECOND * seconds, read);
        assertEquals(-1, body.read(chunk));
    }
}
