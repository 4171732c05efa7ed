package dev.callanalytics.reporting;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import static dev.callanalytics.db.Tables.READERS;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/**
 * Reader roles: PostgreSQL logins that read the {@code reporting} schema, each seeing one account
 * (or every account, for an operator's BI). The views decide what a role sees from its row in
 * {@code readers} (V6__reporting.sql); the role itself is granted nothing.
 */
public final class ReaderQueries {

    /** Lower case, so that the name works unquoted in psql and in a BI tool's connection form. */
    private static final Pattern ROLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** Enough sessions for a BI tool's pool, not enough to take the server's connections. */
    static final int CONNECTION_LIMIT = 10;

    private final DSLContext ctx;

    public ReaderQueries(DSLContext ctx) {
        this.ctx = ctx;
    }

    /** A reader and the account it sees (empty: every account). */
    public record Reader(String roleName, Optional<UUID> account) {
    }

    /** Why a reader cannot be created or revoked, worded for the command line. */
    public static final class ReaderRefused extends RuntimeException {
        ReaderRefused(String message) {
            super(message);
        }
    }

    public static void requireValidName(String roleName) {
        if (!ROLE_NAME.matcher(roleName).matches()) {
            throw new ReaderRefused("a reader's name is 1 to 63 lower-case letters, digits and underscores, not starting with a digit: '"
                                    + roleName + "'");
        }
        if (roleName.startsWith("pg_")) {
            throw new ReaderRefused("names starting with pg_ are PostgreSQL's own: '" + roleName + "'");
        }
    }

    /**
     * Creates the login role and its row in one transaction. The password is sent as a SCRAM
     * verifier computed here, so that it appears in no statement the server could log.
     */
    public void create(String roleName, Optional<UUID> account, String password) {
        requireValidName(roleName);
        ctx.transaction(tx -> {
            var dsl = tx.dsl();
            if (dsl.fetchExists(table(name("pg_catalog", "pg_roles")), field(name("rolname")).eq(roleName))) {
                throw new ReaderRefused("a role named " + roleName + " exists already in this PostgreSQL; choose another name");
            }
            var role = name(roleName);
            dsl.execute("CREATE ROLE {0} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS CONNECTION LIMIT "
                        + CONNECTION_LIMIT, role);
            // a reader writes nothing; the session default makes a BI tool's stray write fail at once
            dsl.execute("ALTER ROLE {0} SET default_transaction_read_only = on", role);
            dsl.insertInto(READERS)
               .set(READERS.ROLE_NAME, roleName)
               .set(READERS.ACCOUNT_ID, account.orElse(null))
               .execute();
            dsl.connection(connection -> {
                try {
                    connection.unwrap(PGConnection.class).alterUserPassword(roleName, password.toCharArray(), "scram-sha-256");
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot set the password of " + roleName + ": " + e.getMessage(), e);
                }
            });
        });
    }

    /** Drops the role and its row, ending its open sessions first; false when there is no such reader. */
    public boolean revoke(String roleName) {
        requireValidName(roleName);
        return ctx.transactionResult(tx -> {
            var dsl = tx.dsl();
            if (dsl.deleteFrom(READERS).where(READERS.ROLE_NAME.eq(roleName)).execute() == 0) {
                return false;
            }
            // no new session from here on, then the open ones end, then the role goes
            dsl.execute("ALTER ROLE {0} NOLOGIN", name(roleName));
            dsl.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = {0}", DSL.val(roleName));
            dsl.execute("DROP ROLE {0}", name(roleName));
            return true;
        });
    }

    public List<Reader> list() {
        return ctx.select(READERS.ROLE_NAME, READERS.ACCOUNT_ID)
                  .from(READERS)
                  .orderBy(READERS.ROLE_NAME)
                  .fetch(r -> new Reader(r.value1(), Optional.ofNullable(r.value2())));
    }
}
