package dev.callanalytics.ingest;

import dev.callanalytics.http.ApiException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Imports being received: a few per account and a bounded number in all, each with room on disk
 * for its spool. One caller sending many slow imports fills its own account's slots, not the
 * server's; past the bounds, the answer is a 503 with Retry-After before a byte is read.
 */
final class Uploads {

    static final int PER_ACCOUNT = 2;
    static final int IN_ALL = 16;
    /** Disk kept free beside a spool, so that an import never fills the disk the database may share. */
    static final long DISK_RESERVE = 256L << 20;

    private final Path spoolDirectory;
    private final Semaphore slots = new Semaphore(IN_ALL);
    private final ConcurrentHashMap<UUID, Integer> perAccount = new ConcurrentHashMap<>();

    Uploads(Path spoolDirectory) {
        this.spoolDirectory = spoolDirectory;
    }

    /** A slot for an import of {@code declaredBytes} (-1 when chunked) by {@code account}; close it when done. */
    Slot admit(UUID account, long declaredBytes) {
        if (usableSpace() < Math.max(declaredBytes, 0) + DISK_RESERVE) {
            throw ApiException.unavailable("Not enough free disk space to take this import right now; retry later", 60);
        }
        var admitted = new boolean[1];
        perAccount.compute(account, (id, running) -> {
            int now = running == null ? 0 : running;
            admitted[0] = now < PER_ACCOUNT;
            return admitted[0] ? now + 1 : running;
        });
        if (!admitted[0]) {
            throw ApiException.unavailable("This account has " + PER_ACCOUNT + " imports in progress already; retry when one has finished", 5);
        }
        if (!slots.tryAcquire()) {
            release(account);
            throw ApiException.unavailable("The server is receiving " + IN_ALL + " imports already; retry shortly", 5);
        }
        return () -> {
            slots.release();
            release(account);
        };
    }

    private void release(UUID account) {
        perAccount.computeIfPresent(account, (id, running) -> running <= 1 ? null : running - 1);
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
