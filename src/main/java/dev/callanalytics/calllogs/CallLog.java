package dev.callanalytics.calllogs;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** One call as the call-logs endpoint shows it; every field present, null when unknown. */
public record CallLog(String roomName,
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
                      List<Transcript> transcripts,
                      BigDecimal callCost) {

    /** One utterance; {@code timestamp} is when it was said. */
    public record Transcript(String speaker, String text, OffsetDateTime timestamp) {
    }
}
