package dev.callanalytics.http;

import java.sql.SQLTransientConnectionException;

/**
 * A request found every permit of its bulkhead taken (every read connection, every write
 * connection, every import slot) and the queue not moving: answered at once with 503 and
 * Retry-After, instead of holding the caller until a timeout. A {@link java.sql.SQLException}
 * so that it travels through JDBC and jOOQ like the pool's own refusals.
 */
public final class ServiceBusy extends SQLTransientConnectionException {

    private final int retryAfterSeconds;

    public ServiceBusy(String message, int retryAfterSeconds) {
        super(message, "08004");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
