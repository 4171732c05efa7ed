package dev.callanalytics.analytics;

import org.jooq.Condition;
import org.jooq.Field;

import java.util.List;
import java.util.UUID;

import static org.jooq.impl.DSL.falseCondition;

/**
 * Whose calls a query reads. Every route reads the caller's account only ({@link #of(UUID)}); the
 * operator's routes (package {@code admin}) alone read several ({@link #accounts(List)}), or all
 * of them as one ({@link #together(List)}), and are the only callers of those factories.
 */
public record AccountScope(List<UUID> accountIds, boolean together) {

    /** The account_id of call_totals' rows for all accounts together. */
    public static final UUID ALL_ACCOUNTS = new UUID(0, 0);

    public AccountScope {
        accountIds = List.copyOf(accountIds);
    }

    /** One account: the caller's. */
    public static AccountScope of(UUID account) {
        return new AccountScope(List.of(account), false);
    }

    /** Several accounts, each its own, for the operator's view across them. */
    public static AccountScope accounts(List<UUID> accounts) {
        return new AccountScope(accounts, false);
    }

    /**
     * Every account ({@code everyAccount}) as one: the account totals are read from their rows for
     * all accounts, so that the operator's totals cost what one account's cost.
     */
    public static AccountScope together(List<UUID> everyAccount) {
        return new AccountScope(everyAccount, true);
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

    /** The condition on call_totals.account_id: the rows for all accounts when the scope takes them together. */
    Condition onTotals(Field<UUID> accountId) {
        return together ? accountId.eq(ALL_ACCOUNTS) : on(accountId);
    }
}
