package dev.callanalytics.replica;

import dev.callanalytics.http.ServiceBusy;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * The connections of the analytics and call-log reads: the replica's while the monitor finds it
 * up and close behind, the primary's otherwise. A read that cannot reach the replica goes to the
 * primary at once (and the replica counts as down until the next check finds it back), so a
 * replica that stops costs no request an error (one whose query is under way when it stops
 * fails with a 503, as with the primary). Busy is not down: a replica whose connections
 * are all in use answers 503 as the primary's would.
 */
public final class ReadRouting implements DataSource {

    private static final int VALIDATION_SECONDS = 1;

    private final DataSource primary;
    private final DataSource replica;
    private final ReplicaMonitor monitor;

    public ReadRouting(DataSource primary, DataSource replica, ReplicaMonitor monitor) {
        this.primary = primary;
        this.replica = replica;
        this.monitor = monitor;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (monitor.serving()) {
            try {
                var connection = replica.getConnection();
                // a pooled connection to a replica that has just stopped looks fine until used: one
                // round trip (a fraction of a millisecond) finds out, and the read goes to the primary
                if (connection.isValid(VALIDATION_SECONDS)) {
                    return connection;
                }
                connection.close();
                monitor.reportUnreachable(new SQLException("a connection to the replica was lost", "08006"));
            } catch (ServiceBusy busy) {
                throw busy;
            } catch (SQLException e) {
                monitor.reportUnreachable(e);
            }
        }
        return primary.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pools' credentials are fixed");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("dev.callanalytics");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
