package dev.callanalytics.auth;

import dev.callanalytics.http.Zones;
import org.jooq.DSLContext;

import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static dev.callanalytics.db.Tables.ACCOUNTS;
import static dev.callanalytics.db.Tables.API_KEYS;
import static org.jooq.impl.DSL.currentOffsetDateTime;

/** Accounts and their API keys. */
public final class AccountQueries {

    private final DSLContext ctx;

    public AccountQueries(DSLContext ctx) {
        this.ctx = ctx;
    }

    public UUID createAccount(String name) {
        return ctx.insertInto(ACCOUNTS)
                  .set(ACCOUNTS.NAME, name)
                  .returning(ACCOUNTS.ACCOUNT_ID)
                  .fetchOne(ACCOUNTS.ACCOUNT_ID);
    }

    /** Creates an account with a chosen id (the demo's); false when it exists already. */
    public boolean createAccountIfAbsent(UUID accountId, String name) {
        return ctx.insertInto(ACCOUNTS)
                  .set(ACCOUNTS.ACCOUNT_ID, accountId)
                  .set(ACCOUNTS.NAME, name)
                  .onConflictDoNothing()
                  .execute() == 1;
    }

    /** Revokes every valid key of an account. */
    public int revokeKeys(UUID accountId) {
        return ctx.update(API_KEYS)
                  .set(API_KEYS.REVOKED_AT, currentOffsetDateTime())
                  .where(API_KEYS.ACCOUNT_ID.eq(accountId))
                  .and(API_KEYS.REVOKED_AT.isNull())
                  .execute();
    }

    public boolean accountExists(UUID accountId) {
        return ctx.fetchExists(ACCOUNTS, ACCOUNTS.ACCOUNT_ID.eq(accountId));
    }

    /** Stores the hash of a new key and returns the key's public id. */
    public UUID createKey(UUID accountId, String key, Set<Scope> scopes) {
        return ctx.insertInto(API_KEYS)
                  .set(API_KEYS.ACCOUNT_ID, accountId)
                  .set(API_KEYS.KEY_HASH, ApiKey.hash(key))
                  .set(API_KEYS.SCOPES, scopes.stream().map(Scope::label).sorted().toArray(String[]::new))
                  .returning(API_KEYS.KEY_ID)
                  .fetchOne(API_KEYS.KEY_ID);
    }

    /** Revokes a key; false when there is no such key or it was revoked already. */
    public boolean revokeKey(UUID keyId) {
        return ctx.update(API_KEYS)
                  .set(API_KEYS.REVOKED_AT, currentOffsetDateTime())
                  .where(API_KEYS.KEY_ID.eq(keyId))
                  .and(API_KEYS.REVOKED_AT.isNull())
                  .execute() == 1;
    }

    /** The caller a key stands for, if the key exists and is not revoked. */
    public Optional<Caller> findCaller(String key) {
        return ctx.select(API_KEYS.ACCOUNT_ID, API_KEYS.SCOPES, ACCOUNTS.TIMEZONE)
                  .from(API_KEYS)
                  .join(ACCOUNTS)
                  .on(ACCOUNTS.ACCOUNT_ID.eq(API_KEYS.ACCOUNT_ID))
                  .where(API_KEYS.KEY_HASH.eq(ApiKey.hash(key)))
                  .and(API_KEYS.REVOKED_AT.isNull())
                  // a zone this JVM does not know (set by hand) is UTC rather than an error on every request
                  .fetchOptional(r -> new Caller(r.value1(), scopes(r.value2()), Zones.named(r.value3()).orElse(Zones.UTC)));
    }

    /** Creates an account whose analytics are taken in {@code timezone}. */
    public UUID createAccount(String name, ZoneId timezone) {
        return ctx.insertInto(ACCOUNTS)
                  .set(ACCOUNTS.NAME, name)
                  .set(ACCOUNTS.TIMEZONE, timezone.getId())
                  .returning(ACCOUNTS.ACCOUNT_ID)
                  .fetchOne(ACCOUNTS.ACCOUNT_ID);
    }

    /** Sets an account's time zone; false when there is no such account. */
    public boolean setTimezone(UUID accountId, ZoneId timezone) {
        return ctx.update(ACCOUNTS)
                  .set(ACCOUNTS.TIMEZONE, timezone.getId())
                  .where(ACCOUNTS.ACCOUNT_ID.eq(accountId))
                  .execute() == 1;
    }

    private static Set<Scope> scopes(String[] labels) {
        var scopes = EnumSet.noneOf(Scope.class);
        Arrays.stream(labels).map(Scope::fromLabel).forEach(scopes::add);
        return scopes;
    }
}
