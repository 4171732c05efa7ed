package dev.callanalytics.testing;

import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A reader role made by the command line ("readers create"), and connections as it. */
public record ReaderRole(String name, String password, String psqlLine, String url) {

    /** A reader of one account, or of every account when {@code account} is null; its name is unique in the cluster. */
    public static ReaderRole create(Map<String, String> environment, String prefix, UUID account) {
        var name = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
        var run = account == null ? Cli.run(environment, "readers", "create", name, "--all-accounts")
                : Cli.run(environment, "readers", "create", name, "--account", account.toString());
        assertEquals(0, run.exitCode(), run.err());
        var lines = run.out().strip().split("\n");
        return new ReaderRole(name, run.lastLine(), lines[lines.length - 2], environment.get("DB_URL"));
    }

    /** A session as this role on {@code jdbcUrl} (the primary's, or a replica's). */
    public Connection connect(String jdbcUrl) throws SQLException {
        var ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl);
        ds.setUser(name);
        ds.setPassword(password);
        return ds.getConnection();
    }

    public Connection connect() throws SQLException {
        return connect(url);
    }
}
