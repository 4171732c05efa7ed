package dev.callanalytics.replica;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The replica's lag, from the primary's WAL positions sampled once a second. */
class WalHistoryTest {

    static final long SECOND = 1_000_000_000L;

    @Test
    void anIdlePrimaryAndAReplicaThatHasReplayedEverythingAreNotBehindHoweverLongTheSilence() {
        var history = new ReplicaMonitor.WalHistory(Duration.ofSeconds(60));
        for (int s = 0; s <= 3600; s++) {
            history.add(s * SECOND, 5000); // an hour without a write
        }
        assertEquals(0, history.secondsBehind(5000, 3600 * SECOND));
    }

    @Test
    void aReplicaIsBehindByTheTimeSinceThePrimaryWasWhereItHasReplayedTo() {
        var history = new ReplicaMonitor.WalHistory(Duration.ofSeconds(60));
        for (int s = 0; s <= 10; s++) {
            history.add(s * SECOND, 1000 + (s >= 4 ? 100L * (s - 3) : 0)); // idle, then writing from second 4
        }
        assertEquals(7, history.secondsBehind(1000, 10 * SECOND), 1e-9, "replayed up to second 3's position");
        assertEquals(4, history.secondsBehind(1350, 10 * SECOND), 1e-9, "between the samples of seconds 6 and 7");
        assertEquals(0, history.secondsBehind(1700, 10 * SECOND), 1e-9);
    }

    @Test
    void aReplicaBehindEverySampleIsAtLeastAsFarBehindAsTheOldest() {
        var history = new ReplicaMonitor.WalHistory(Duration.ofSeconds(5));
        for (int s = 0; s <= 20; s++) {
            history.add(s * SECOND, 100L * s);
        }
        assertEquals(5, history.secondsBehind(0, 20 * SECOND), 1e-9, "only 5 s of samples are kept");
    }
}
