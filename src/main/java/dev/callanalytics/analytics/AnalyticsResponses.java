package dev.callanalytics.analytics;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.callanalytics.http.DateRange;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.UUID;

import static com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL;

/** The {@code data} of each analytics response, field for field as the contract names them. */
public final class AnalyticsResponses {

    private AnalyticsResponses() {
    }

    public record Dashboard(long totalCalls,
                     BigDecimal totalDurationMinutes,
                     BigDecimal totalDurationHours,
                     BigDecimal avgDurationMinutes,
                     long callsToday,
                     long callsThisWeek,
                     long callsThisMonth,
                     DateRange dateRange,
                     @JsonUnwrapped Include.Extra extra,
                     @JsonInclude(NON_NULL) String timezone,
                     @JsonInclude(NON_NULL) PeriodTotals previous,
                     @JsonInclude(NON_NULL) Change change) {

        /** The same, marked as taken in a time zone (null: UTC, and no mark). */
        Dashboard in(String zone) {
            return new Dashboard(totalCalls, totalDurationMinutes, totalDurationHours, avgDurationMinutes, callsToday, callsThisWeek,
                                 callsThisMonth, dateRange, extra, zone, previous, change);
        }

        /** The same, beside the totals of the period before it (compare=previous) and the change from them. */
        Dashboard against(PeriodTotals before, Change change) {
            return new Dashboard(totalCalls, totalDurationMinutes, totalDurationHours, avgDurationMinutes, callsToday, callsThisWeek,
                                 callsThisMonth, dateRange, extra, timezone, before, change);
        }
    }

    /** The totals of a period (the one before the range, for compare=previous). */
    public record PeriodTotals(long totalCalls, BigDecimal totalDurationMinutes, BigDecimal totalDurationHours,
                               BigDecimal avgDurationMinutes, DateRange dateRange) {

        static PeriodTotals of(AnalyticsQueries.Totals totals, DateRange range) {
            return new PeriodTotals(totals.calls(), Durations.minutes(totals.minutes()), Durations.hours(totals.minutes()),
                                    Durations.average(totals.minutes(), totals.calls()), range);
        }
    }

    /** From the previous period to this one: the differences, and the percentages (null when the previous period had none). */
    public record Change(long totalCalls, BigDecimal totalDurationMinutes, BigDecimal totalCallsPercent,
                         BigDecimal totalDurationMinutesPercent) {

        /** From exact sums, each value rounded once. */
        static Change between(AnalyticsQueries.Totals before, AnalyticsQueries.Totals now) {
            var minutesBefore = orZero(before.minutes());
            var minutesNow = orZero(now.minutes());
            return new Change(now.calls() - before.calls(), Durations.signedMinutes(minutesNow.subtract(minutesBefore)),
                              percent(BigDecimal.valueOf(now.calls()), BigDecimal.valueOf(before.calls())),
                              percent(minutesNow, minutesBefore));
        }

        private static BigDecimal orZero(BigDecimal value) {
            return value == null ? BigDecimal.ZERO : value;
        }

        private static BigDecimal percent(BigDecimal now, BigDecimal before) {
            return before.signum() == 0 ? null
                    : now.subtract(before).multiply(BigDecimal.valueOf(100)).divide(before, 2, RoundingMode.HALF_UP);
        }
    }

    public record AssistantTotals(UUID assistantId,
                           String assistantName,
                           long totalCalls,
                           BigDecimal totalDurationMinutes,
                           BigDecimal totalDurationHours,
                           BigDecimal avgDurationMinutes,
                           @JsonUnwrapped Include.Extra extra) {

        public static AssistantTotals of(UUID assistantId, String assistantName, long calls, BigDecimal exactMinutes) {
            return new AssistantTotals(assistantId, assistantName, calls, Durations.minutes(exactMinutes),
                                       Durations.hours(exactMinutes), Durations.average(exactMinutes, calls), null);
        }

        AssistantTotals with(Include.Extra more) {
            return new AssistantTotals(assistantId, assistantName, totalCalls, totalDurationMinutes, totalDurationHours, avgDurationMinutes, more);
        }
    }

    public record PhoneBucketTotals(String phoneNumber,
                             long totalCalls,
                             BigDecimal totalDurationMinutes,
                             BigDecimal totalDurationHours,
                             BigDecimal avgDurationMinutes,
                             @JsonUnwrapped Include.Extra extra) {

        public static PhoneBucketTotals of(String bucket, long calls, BigDecimal exactMinutes) {
            return new PhoneBucketTotals(bucket, calls, Durations.minutes(exactMinutes),
                                         Durations.hours(exactMinutes), Durations.average(exactMinutes, calls), null);
        }

        PhoneBucketTotals with(Include.Extra more) {
            return new PhoneBucketTotals(phoneNumber, totalCalls, totalDurationMinutes, totalDurationHours, avgDurationMinutes, more);
        }
    }

    public record TimeBucket(String date,
                      long totalCalls,
                      BigDecimal totalDurationMinutes,
                      BigDecimal totalDurationHours,
                      @JsonUnwrapped Include.Extra extra) {

        public static TimeBucket of(String label, long calls, BigDecimal exactMinutes) {
            return new TimeBucket(label, calls, Durations.minutes(exactMinutes), Durations.hours(exactMinutes), null);
        }

        TimeBucket with(Include.Extra more) {
            return new TimeBucket(date, totalCalls, totalDurationMinutes, totalDurationHours, more);
        }
    }

    public record ServiceTotals(String service,
                                long totalCalls,
                                BigDecimal totalDurationMinutes,
                                BigDecimal totalDurationHours,
                                @JsonUnwrapped Include.Extra extra) {

        public static ServiceTotals of(String service, long calls, BigDecimal exactMinutes) {
            return new ServiceTotals(service, calls, Durations.minutes(exactMinutes), Durations.hours(exactMinutes), null);
        }

        ServiceTotals with(Include.Extra more) {
            return new ServiceTotals(service, totalCalls, totalDurationMinutes, totalDurationHours, more);
        }
    }

    /** What a row of an outcome breakdown adds up, after its key. */
    public record Tally(long totalCalls,
                        BigDecimal totalDurationMinutes,
                        BigDecimal totalDurationHours,
                        BigDecimal totalCost,
                        long totalBillableMinutes) {

        static Tally of(long calls, BigDecimal exactMinutes, BigDecimal exactCost, long billableMinutes) {
            return new Tally(calls, Durations.minutes(exactMinutes), Durations.hours(exactMinutes), Durations.money(exactCost),
                             billableMinutes);
        }
    }

    public record StatusTotals(String callStatus, @JsonUnwrapped Tally tally) {
    }

    public record TypeTotals(String callType, @JsonUnwrapped Tally tally) {
    }

    public record EndReasonTotals(String endReason, @JsonUnwrapped Tally tally) {
    }

    /**
     * By status, with the answer rate: completed calls over all calls in a terminal status (every
     * status but initiated and answered), rounded half up to four decimals; null without any.
     */
    public record ByStatus(List<StatusTotals> statuses, long terminalCalls, long completedCalls, BigDecimal answerRate,
                           @JsonInclude(NON_NULL) String timezone) {
    }

    public record ByType(List<TypeTotals> types, @JsonInclude(NON_NULL) String timezone) {
    }

    public record ByEndReason(List<EndReasonTotals> endReasons, @JsonInclude(NON_NULL) String timezone) {
    }

    /* The lists of calls by something: with the time zone their range was taken in, when it was not UTC. */

    public record ByService(List<ServiceTotals> services, @JsonInclude(NON_NULL) String timezone) {

        public ByService(List<ServiceTotals> services) {
            this(services, null);
        }
    }

    public record ByAssistant(List<AssistantTotals> assistants, @JsonInclude(NON_NULL) String timezone) {

        public ByAssistant(List<AssistantTotals> assistants) {
            this(assistants, null);
        }
    }

    public record ByPhoneNumber(List<PhoneBucketTotals> phoneNumbers, @JsonInclude(NON_NULL) String timezone) {

        public ByPhoneNumber(List<PhoneBucketTotals> phoneNumbers) {
            this(phoneNumbers, null);
        }
    }

    public record ByTime(List<TimeBucket> timeSeries, String granularity, @JsonInclude(NON_NULL) String timezone) {

        public ByTime(List<TimeBucket> timeSeries, String granularity) {
            this(timeSeries, granularity, null);
        }
    }
}
