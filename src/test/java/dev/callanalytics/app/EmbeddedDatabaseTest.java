package dev.callanalytics.app;

import dev.callanalytics.testing.Cli;
import dev.callanalytics.testing.KillableDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded PostgreSQL as 'serve' runs it: durable, on localhost, and closed to anyone
 * without its password, which is kept readable by its owner only and printed on request.
 */
class EmbeddedDatabaseTest {

    static PGSimpleDataSource as(DatabaseSettings settings, String password) {
        var ds = new PGSimpleDataSource();
        ds.setUrl(settings.url());
        ds.setUser(settings.user());
        if (password != null) {
            ds.setPassword(password);
        }
        return ds;
    }

    @Test
    void itIsDurableListensOnLocalhostAndWantsItsPassword() throws Exception {
        try (var database = new KillableDatabase()) {
            var settings = database.settings();
            try (var connection = as(settings, settings.password()).getConnection(); var statement = connection.createStatement()) {
                for (var setting : Map.of("fsync", "on", "full_page_writes", "on", "synchronous_commit", "on",
                                          "listen_addresses", "localhost", "password_encryption", "scram-sha-256").entrySet()) {
                    try (var result = statement.executeQuery("SHOW " + setting.getKey())) {
                        result.next();
                        assertEquals(setting.getValue(), result.getString(1), setting.getKey());
                    }
                }
            }
            var withoutPassword = assertThrows(SQLException.class, () -> as(settings, null).getConnection().close());
            assertTrue(withoutPassword.getMessage().contains("password"), withoutPassword.getMessage());
            var wrongPassword = assertThrows(SQLException.class, () -> as(settings, "guess").getConnection().close());
            assertEquals("28P01", wrongPassword.getSQLState());

            var passwordFile = database.directory().resolve("data").resolve(EmbeddedDatabase.PASSWORD_FILE);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
            assertEquals(settings.password(), Files.readString(passwordFile).strip());
            var printed = Cli.run(Map.of("DATA_DIR", database.directory().resolve("data").toString(),
                                         "EMBEDDED_DB_PORT", String.valueOf(java.net.URI.create(settings.url().substring(5)).getPort())),
                                  "embedded-password");
            assertEquals(0, printed.exitCode(), printed.err());
            assertEquals(settings.password(), printed.lastLine());
            assertTrue(printed.out().contains("psql -h localhost -p "), printed.out());
        }
    }

    @Test
    void aDataDirectoryFromBeforePasswordsIsGivenOneAtItsNextStart() throws Exception {
        try (var database = new KillableDatabase()) {
            var data = database.directory().resolve("data");
            var password = database.settings().password();
            database.stop();
            // as an earlier version left it: trust for local connections, no password file
            Files.writeString(data.resolve("pg_hba.conf"), "host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n");
            Files.delete(data.resolve(EmbeddedDatabase.PASSWORD_FILE));
            database.start();
            var given = database.settings().password();
            assertTrue(given != null && !given.equals(password), "a new password");
            assertThrows(SQLException.class, () -> as(database.settings(), null).getConnection().close(), "trust is gone");
            try (var connection = as(database.settings(), given).getConnection()) {
                assertTrue(connection.isValid(1));
            }
            assertEquals(given, Files.readString(data.resolve(EmbeddedDatabase.PASSWORD_FILE)).strip());
        }
    }
}
