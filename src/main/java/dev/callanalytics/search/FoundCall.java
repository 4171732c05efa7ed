package dev.callanalytics.search;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A call a search found: the record of the call logs ({@code CallLog}), field for field, with
 * each transcript line marked {@code matched} when it says what {@code q} asks for.
 */
record FoundCall(String roomName,
                 UUID assistantId,
                 String assistantName,
                 String toNumber,
                 String callStatus,
                 String callStatusReason,
                 Integer sipStatusCode,
                 String sipStatusText,
                 OffsetDateTime answeredAt,
                 OffsetDateTime startedAt,
                 OffsetDateTime endedAt,
                 BigDecimal callDurationMinutes,
                 String recordingPath,
                 List<Line> transcripts,
                 BigDecimal callCost) {

    /** One utterance; {@code matched} is false for every line of a search without {@code q}. */
    record Line(String speaker, String text, OffsetDateTime timestamp, boolean matched) {
    }
}
