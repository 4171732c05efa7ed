package dev.callanalytics.ingest;

import dev.callanalytics.http.ApiException;
import dev.callanalytics.http.Permits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Imports being received: a bounded number per account and in all, each with room on disk for its
 * spool. One caller sending many slow imports fills its own account's slots, not the server's;
 * a full queue that keeps moving is waited for, one that is stuck answers a 503 with
 * Retry-After before a byte is read.
 */
final class Uploads {

    static final int PER_ACCOUNT = 16;
    static final int IN_ALL = 64;
    /** Disk kept free beside a spool, so that an import never fills the disk the database may share. */
    static final long DISK_RESERVE = 256L << 20;
    /** Uploads last seconds; a queue that has not moved for this long is held by slow ones. */
    private static final Duration STALL_WINDOW = Duration.ofSeconds(1);
    private static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private final Path spoolDirectory;
    private final Permits slots = new Permits(IN_ALL, STALL_WINDOW, MAX_WAIT);
    private final ConcurrentHashMap<UUID, Permits> perAccount = new ConcurrentHashMap<>();

    Uploads(Path spoolDirectory) {
        this.spoolDirectory = spoolDirectory;
    }

    /** A slot for an import of {@code declaredBytes} (-1 when chunked) by {@code account}; close it when done. */
    Slot admit(UUID account, long declaredBytes) {
        if (usableSpace() < Math.max(declaredBytes, 0) + DISK_RESERVE) {
            throw ApiException.unavailable("Not enough free disk space to take this import right now; retry later", 60);
        }
        // accounts are few (each needs a key): their permits are kept
        var accountSlots = perAccount.computeIfAbsent(account, id -> new Permits(PER_ACCOUNT, STALL_WINDOW, MAX_WAIT));
        long accountSlot = accountSlots.tryAcquire();
        if (accountSlot < 0) {
            throw ApiException.unavailable("This account has " + PER_ACCOUNT + " imports in progress already; retry when one has finished", 5);
        }
        long slot = slots.tryAcquire();
        if (slot < 0) {
            accountSlots.release(accountSlot);
            throw ApiException.unavailable("The server is receiving " + IN_ALL + " imports already; retry shortly", 5);
        }
        return () -> {
            slots.release(slot);
            accountSlots.release(accountSlot);
        };
    }

    private long usableSpace() {
        try {
            return Files.getFileStore(spoolDirectory).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the free space of " + spoolDirectory + ": " + e.getMessage(), e);
        }
    }

    /** An admitted import. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }
}
