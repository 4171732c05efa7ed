package dev.callanalytics.analytics;

import org.jooq.Condition;
import org.jooq.Field;

import java.util.List;
import java.util.UUID;

import static org.jooq.impl.DSL.falseCondition;

/**
 * Whose calls a query reads. Every route reads the caller's account only ({@link #of(UUID)}); the
 * operator's routes (package {@code admin}) alone read several ({@link #accounts(List)}), and
 * are the only callers of that factory.
 */
public record AccountScope(List<UUID> accountIds) {

    public AccountScope {
        accountIds = List.copyOf(accountIds);
    }

    /** One account: the caller's. */
    public static AccountScope of(UUID account) {
        return new AccountScope(List.of(account));
    }

    /** Several accounts, for the operator's view across them. */
    public static AccountScope accounts(List<UUID> accounts) {
        return new AccountScope(accounts);
    }

    /**
     * The condition on an {@code account_id} column. A list of accounts is an IN list rather than
     * no condition at all, so that every table is read through its (account_id, ...) index, one
     * range per account.
     */
    public Condition on(Field<UUID> accountId) {
        return switch (accountIds.size()) {
            case 0 -> falseCondition();
            case 1 -> accountId.eq(accountIds.getFirst());
            default -> accountId.in(accountIds);
        };
    }
}
