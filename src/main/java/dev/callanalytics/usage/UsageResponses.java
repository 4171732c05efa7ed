package dev.callanalytics.usage;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.UUID;

/** The {@code data} of the token-usage responses, field for field as the contract names them. */
public final class UsageResponses {

    private UsageResponses() {
    }

    /** {@code /analytics/tokens/summary}: every sum of the usage records (calls with usage) of the range. */
    public record TokenSummary(long totalRecords,
                               BigInteger totalLlmInputAudioTokens,
                               BigInteger totalLlmInputTextTokens,
                               BigInteger totalLlmInputCachedAudioTokens,
                               BigInteger totalLlmInputCachedTextTokens,
                               BigInteger totalLlmOutputAudioTokens,
                               BigInteger totalLlmOutputTextTokens,
                               BigInteger totalLlmTokens,
                               BigInteger totalTtsCharacters,
                               BigDecimal totalTtsAudioDuration,
                               BigDecimal totalSttAudioDuration,
                               BigDecimal totalCallDurationMinutes) {
    }

    /** What a row of the by-assistant and by-account lists sums, after its key. */
    public record UsageTotals(long totalCalls,
                              BigInteger totalLlmTokens,
                              BigInteger totalLlmInputAudioTokens,
                              BigInteger totalLlmOutputTextTokens,
                              BigInteger totalTtsCharacters,
                              BigDecimal totalTtsAudioDuration,
                              BigDecimal totalSttAudioDuration,
                              BigDecimal totalCallDurationMinutes,
                              BigDecimal totalCallDurationHours) {
    }

    public record AssistantUsage(UUID assistantId, @JsonUnwrapped UsageTotals totals) {
    }

    /** An assistant of the operator's view: assistant ids are unique within an account only. */
    public record AccountAssistantUsage(UUID accountId, UUID assistantId, @JsonUnwrapped UsageTotals totals) {
    }

    public record AccountUsage(UUID accountId, String accountName, @JsonUnwrapped UsageTotals totals) {
    }

    public record ByAssistant<T>(List<T> assistants) {
    }

    public record ByAccount(List<AccountUsage> accounts) {
    }
}
