package dev.callanalytics.analytics;

import dev.callanalytics.http.DateRange;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

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
                     DateRange dateRange) {
    }

    public record AssistantTotals(UUID assistantId,
                           String assistantName,
                           long totalCalls,
                           BigDecimal totalDurationMinutes,
                           BigDecimal totalDurationHours,
                           BigDecimal avgDurationMinutes) {

        public static AssistantTotals of(UUID assistantId, String assistantName, long calls, BigDecimal exactMinutes) {
            return new AssistantTotals(assistantId, assistantName, calls, Durations.minutes(exactMinutes),
                                       Durations.hours(exactMinutes), Durations.average(exactMinutes, calls));
        }
    }

    public record PhoneBucketTotals(String phoneNumber,
                             long totalCalls,
                             BigDecimal totalDurationMinutes,
                             BigDecimal totalDurationHours,
                             BigDecimal avgDurationMinutes) {

        public static PhoneBucketTotals of(String bucket, long calls, BigDecimal exactMinutes) {
            return new PhoneBucketTotals(bucket, calls, Durations.minutes(exactMinutes),
                                         Durations.hours(exactMinutes), Durations.average(exactMinutes, calls));
        }
    }

    public record TimeBucket(String date,
                      long totalCalls,
                      BigDecimal totalDurationMinutes,
                      BigDecimal totalDurationHours) {

        public static TimeBucket of(String label, long calls, BigDecimal exactMinutes) {
            return new TimeBucket(label, calls, Durations.minutes(exactMinutes), Durations.hours(exactMinutes));
        }
    }

    public record ServiceTotals(String service,
                                long totalCalls,
                                BigDecimal totalDurationMinutes,
                                BigDecimal totalDurationHours) {

        public static ServiceTotals of(String service, long calls, BigDecimal exactMinutes) {
            return new ServiceTotals(service, calls, Durations.minutes(exactMinutes), Durations.hours(exactMinutes));
        }
    }

    public record ByService(List<ServiceTotals> services) {
    }

    public record ByAssistant(List<AssistantTotals> assistants) {
    }

    public record ByPhoneNumber(List<PhoneBucketTotals> phoneNumbers) {
    }

    public record ByTime(List<TimeBucket> timeSeries, String granularity) {
    }
}
