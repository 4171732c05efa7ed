package dev.callanalytics.analytics;

import dev.callanalytics.http.DateRange;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/** The {@code data} of each analytics response, field for field as the contract names them. */
final class AnalyticsResponses {

    private AnalyticsResponses() {
    }

    record Dashboard(long totalCalls,
                     BigDecimal totalDurationMinutes,
                     BigDecimal totalDurationHours,
                     BigDecimal avgDurationMinutes,
                     long callsToday,
                     long callsThisWeek,
                     long callsThisMonth,
                     DateRange dateRange) {
    }

    record AssistantTotals(UUID assistantId,
                           String assistantName,
                           long totalCalls,
                           BigDecimal totalDurationMinutes,
                           BigDecimal totalDurationHours,
                           BigDecimal avgDurationMinutes) {

        static AssistantTotals of(UUID assistantId, String assistantName, long calls, BigDecimal exactMinutes) {
            return new AssistantTotals(assistantId, assistantName, calls, Durations.minutes(exactMinutes),
                                       Durations.hours(exactMinutes), Durations.average(exactMinutes, calls));
        }
    }

    record PhoneBucketTotals(String phoneNumber,
                             long totalCalls,
                             BigDecimal totalDurationMinutes,
                             BigDecimal totalDurationHours,
                             BigDecimal avgDurationMinutes) {

        static PhoneBucketTotals of(String bucket, long calls, BigDecimal exactMinutes) {
            return new PhoneBucketTotals(bucket, calls, Durations.minutes(exactMinutes),
                                         Durations.hours(exactMinutes), Durations.average(exactMinutes, calls));
        }
    }

    record TimeBucket(String date,
                      long totalCalls,
                      BigDecimal totalDurationMinutes,
                      BigDecimal totalDurationHours) {

        static TimeBucket of(String label, long calls, BigDecimal exactMinutes) {
            return new TimeBucket(label, calls, Durations.minutes(exactMinutes), Durations.hours(exactMinutes));
        }
    }

    record ByAssistant(List<AssistantTotals> assistants) {
    }

    record ByPhoneNumber(List<PhoneBucketTotals> phoneNumbers) {
    }

    record ByTime(List<TimeBucket> timeSeries, String granularity) {
    }
}
