package dev.callanalytics.ingest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A call report that passed validation: the call record of the contract plus what the end-call
 * webhook adds. A field the report did not carry is null, except {@code transcripts}: absent
 * (empty Optional) keeps the stored ones, present replaces them.
 */
public record IncomingCall(String roomName,
                           UUID assistantId,
                           String assistantName,
                           String callType,
                           String callService,
                           String platformNumber,
                           String toNumber,
                           String callStatus,
                           String callStatusReason,
                           Integer sipStatusCode,
                           String sipStatusText,
                           Instant startedAt,
                           Instant answeredAt,
                           Instant endedAt,
                           BigDecimal callDurationMinutes,
                           BigDecimal callCost,
                           String recordingPath,
                           String queueId,
                           Boolean isPassthrough,
                           Instant agentReadyAt,
                           String callEndReason,
                           Integer billableDurationMinutes,
                           String usageJson,
                           Optional<List<Utterance>> transcripts) {

    public static final List<String> STATUSES = List.of("initiated", "answered", "completed", "busy", "no_answer",
                                                         "rejected", "cancelled", "unreachable", "timeout", "failed");
    /** A call in one of these is still in progress; every other status is terminal. */
    public static final Set<String> IN_PROGRESS = Set.of("initiated", "answered");
    public static final List<String> CALL_TYPES = List.of("outbound", "inbound", "web");
    /** The counts of a usage object that the token endpoints sum (as integers). */
    public static final List<String> USAGE_COUNTS = List.of(
            "llm_input_audio_tokens", "llm_input_text_tokens", "llm_input_cached_audio_tokens", "llm_input_cached_text_tokens",
            "llm_output_audio_tokens", "llm_output_text_tokens", "llm_total_tokens", "tts_characters_count");
    /** The durations of a usage object that the token endpoints sum, in seconds. */
    public static final List<String> USAGE_SECONDS = List.of("tts_audio_duration", "stt_audio_duration");

    /** One line of a transcript. */
    public record Utterance(String speaker, String text, Instant timestamp) {
    }
}
