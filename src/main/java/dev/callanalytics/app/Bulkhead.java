package dev.callanalytics.app;

import com.zaxxer.hikari.HikariDataSource;
import dev.callanalytics.http.Permits;
import dev.callanalytics.http.ServiceBusy;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The connections of one kind of work (reads, writes, readiness probes): a pool of its own, so
 * that one kind cannot starve another, behind a queue that fails fast ({@link Permits}). Busy is
 * not stuck: 200 writers of 10 ms each queue and pass; connections held for a minute do not hold
 * the next caller for a minute, who gets a 503 with Retry-After at once.
 */
public final class Bulkhead implements DataSource, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Bulkhead.class.getName());

    private final String name;
    private final HikariDataSource pool;
    private final Permits permits;
    private final AtomicLong handedOut = new AtomicLong();

    public Bulkhead(String name, HikariDataSource pool, Duration stallWindow, Duration maxWait) {
        this.name = name;
        this.pool = pool;
        this.permits = new Permits(pool.getMaximumPoolSize(), stallWindow, maxWait);
    }

    public int size() {
        return permits.size();
    }

    /**
     * Waits, at most {@code limit}, until the pool holds every connection it may (Hikari opens
     * them in the background from its start); a database too slow for that is left to the pool.
     */
    public void awaitFilled(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        var state = pool.getHikariPoolMXBean();
        while (state != null && state.getTotalConnections() < pool.getMaximumPoolSize() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10); // the pool's own thread is opening them; bounded by the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Connections handed out and not yet returned. */
    public int inUse() {
        return permits.inUse();
    }

    /** Connections handed out since the start: the database round trips of this kind of work, at least. */
    public long handedOut() {
        return handedOut.get();
    }

    @Override
    public Connection getConnection() throws SQLException {
        long acquired = permits.tryAcquire();
        if (acquired < 0) {
            throw new ServiceBusy("All " + permits.size() + " database connections for " + name + " are in use; retry shortly", 1);
        }
        try {
            var connection = returningPermit(pool.getConnection(), acquired);
            handedOut.incrementAndGet();
            return connection;
        } catch (SQLException | RuntimeException | Error e) {
            permits.release(acquired);
            throw e;
        }
    }

    /** The pool's connection, whose close() also gives the permit back (once). */
    private Connection returningPermit(Connection connection, long acquired) {
        var returned = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        try {
                            connection.close();
                        } finally {
                            if (returned.compareAndSet(false, true)) {
                                permits.release(acquired);
                            }
                        }
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public void close() {
        if (inUse() > 0) {
            LOG.info(name + " pool closing with " + inUse() + " connection(s) still in use");
        }
        pool.close();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the bulkhead's pool has its credentials");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // nothing is logged through JDBC's log writer
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool sets its own timeouts");
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public java.util.logging.Logger getParentLogger() {
        return LOG;
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        return pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
