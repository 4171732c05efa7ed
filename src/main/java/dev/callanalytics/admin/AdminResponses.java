package dev.callanalytics.admin;

import dev.callanalytics.analytics.Durations;
import dev.callanalytics.http.DateRange;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/** The {@code data} of the operator's responses that have no per-account twin. */
final class AdminResponses {

    private AdminResponses() {
    }

    record AdminDashboard(long totalCalls,
                          BigDecimal totalDurationMinutes,
                          BigDecimal totalDurationHours,
                          BigDecimal avgDurationMinutes,
                          long totalActiveAccounts,
                          DateRange dateRange) {
    }

    record AccountTotals(UUID accountId,
                         String accountName,
                         long totalCalls,
                         BigDecimal totalDurationMinutes,
                         BigDecimal totalDurationHours,
                         BigDecimal avgDurationMinutes) {

        static AccountTotals of(UUID accountId, String accountName, long calls, BigDecimal exactMinutes) {
            return new AccountTotals(accountId, accountName, calls, Durations.minutes(exactMinutes),
                                     Durations.hours(exactMinutes), Durations.average(exactMinutes, calls));
        }
    }

    record ByAccount(List<AccountTotals> accounts) {
    }
}
