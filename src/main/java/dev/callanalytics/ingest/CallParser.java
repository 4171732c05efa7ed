package dev.callanalytics.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callanalytics.http.Instants;
import dev.callanalytics.ingest.IncomingCall.Utterance;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Validates one call report (a JSON object) into an {@link IncomingCall}, or says what is wrong
 * with it, field by field: {@code "call_status: 'ringing' is not one of initiated, ...".}
 * Unknown fields are ignored, so that platforms can add fields without breaking ingestion.
 */
public final class CallParser {

    static final int MAX_ROOM_NAME = 512;
    static final int MAX_TRANSCRIPT_LINES = 10_000;

    private CallParser() {
    }

    /** What came of a report: a call, or the list of its problems. */
    public sealed interface Parsed permits Valid, Invalid {
    }

    public record Valid(IncomingCall call) implements Parsed {
    }

    public record Invalid(String roomName, List<String> problems) implements Parsed {
    }

    /**
     * @param roomName the room name from the URL, which the body must repeat if it names one;
     *                 empty for an import line, which must name its own
     */
    public static Parsed parse(JsonNode json, Optional<String> roomName) {
        if (json == null || !json.isObject()) {
            return new Invalid(null, List.of("the call must be a JSON object"));
        }
        var f = new FieldReader(json);
        var room = f.text("room_name");
        if (roomName.isPresent()) {
            if (room != null && !room.equals(roomName.get())) {
                f.problem("room_name: '" + room + "' differs from the room name in the URL, '" + roomName.get() + "'");
            }
            room = roomName.get();
        } else if (room == null && !f.has("room_name")) {
            f.problem("room_name: required");
        }
        if (room != null && (room.isBlank() || room.length() > MAX_ROOM_NAME)) {
            f.problem("room_name: must be 1 to " + MAX_ROOM_NAME + " characters, not blank");
        }
        var startedAt = f.instant("started_at", true);
        var answeredAt = f.instant("answered_at", false);
        var endedAt = f.instant("ended_at", false);
        if (startedAt != null && endedAt != null && endedAt.isBefore(startedAt)) {
            f.problem("ended_at: " + endedAt + " is before started_at " + startedAt);
        }
        var call = new IncomingCall(
                room,
                f.uuid("assistant_id"),
                f.text("assistant_name"),
                f.oneOf("call_type", IncomingCall.CALL_TYPES),
                f.text("call_service"),
                f.text("platform_number"),
                f.text("to_number"),
                Optional.ofNullable(f.oneOf("call_status", IncomingCall.STATUSES)).orElse("initiated"),
                f.text("call_status_reason"),
                f.integer("sip_status_code", 100, 699),
                f.text("sip_status_text"),
                startedAt,
                answeredAt,
                endedAt,
                f.nonNegativeDecimal("call_duration_minutes"),
                f.nonNegativeDecimal("call_cost"),
                f.text("recording_path"),
                f.text("queue_id"),
                f.bool("is_passthrough"),
                f.instant("agent_ready_at", false),
                f.text("call_end_reason"),
                f.integer("billable_duration_minutes", 0, Integer.MAX_VALUE),
                f.object("usage"),
                transcripts(json.get("transcripts"), f));
        return f.problems.isEmpty() ? new Valid(call) : new Invalid(room, List.copyOf(f.problems));
    }

    private static Optional<List<Utterance>> transcripts(JsonNode node, FieldReader f) {
        if (node == null) {
            return Optional.empty();
        }
        if (node.isNull()) {
            return Optional.of(List.of());
        }
        if (!node.isArray()) {
            f.problem("transcripts: must be an array of {speaker, text, timestamp}");
            return Optional.empty();
        }
        if (node.size() > MAX_TRANSCRIPT_LINES) {
            f.problem("transcripts: at most " + MAX_TRANSCRIPT_LINES + " lines, got " + node.size());
            return Optional.empty();
        }
        var lines = new ArrayList<Utterance>(node.size());
        for (int i = 0; i < node.size(); i++) {
            var line = new FieldReader(node.get(i), "transcripts[" + i + "].", f.problems);
            if (!node.get(i).isObject()) {
                f.problem("transcripts[" + i + "]: must be an object {speaker, text, timestamp}");
                continue;
            }
            lines.add(new Utterance(line.text("speaker"), line.text("text"), line.instant("timestamp", false)));
        }
        return Optional.of(lines);
    }

    /** Reads typed fields of one object, collecting a problem for each that does not fit. */
    private static final class FieldReader {

        private final JsonNode json;
        private final String prefix;
        private final List<String> problems;

        FieldReader(JsonNode json) {
            this(json, "", new ArrayList<>());
        }

        FieldReader(JsonNode json, String prefix, List<String> problems) {
            this.json = json;
            this.prefix = prefix;
            this.problems = problems;
        }

        void problem(String problem) {
            problems.add(problem);
        }

        boolean has(String name) {
            return json.has(name);
        }

        /** The field, or null when absent or JSON null. */
        private JsonNode value(String name) {
            var node = json.get(name);
            return node == null || node.isNull() ? null : node;
        }

        String text(String name) {
            var node = value(name);
            if (node == null) {
                return null;
            }
            if (!node.isTextual()) {
                problem(prefix + name + ": must be a string, got " + describe(node));
                return null;
            }
            if (node.textValue().indexOf('\u0000') >= 0) {
                problem(prefix + name + ": must not contain NUL characters");
                return null;
            }
            return node.textValue();
        }

        String oneOf(String name, List<String> allowed) {
            var value = text(name);
            if (value != null && !allowed.contains(value)) {
                problem(prefix + name + ": '" + value + "' is not one of " + String.join(", ", allowed));
                return null;
            }
            return value;
        }

        UUID uuid(String name) {
            if (value(name) == null) {
                problem(prefix + name + ": required");
                return null;
            }
            var value = text(name);
            if (value == null) {
                return null;
            }
            try {
                if (value.length() != 36) {
                    throw new IllegalArgumentException();
                }
                return UUID.fromString(value);
            } catch (IllegalArgumentException e) {
                problem(prefix + name + ": '" + value + "' is not a UUID");
                return null;
            }
        }

        Instant instant(String name, boolean required) {
            var node = value(name);
            if (node == null) {
                if (required) {
                    problem(prefix + name + ": required");
                }
                return null;
            }
            if (!node.isTextual()) {
                problem(prefix + name + ": must be an ISO 8601 date-time string, got " + describe(node));
                return null;
            }
            try {
                return Instants.parse(node.textValue());
            } catch (DateTimeParseException e) {
                problem(prefix + name + ": '" + node.textValue() + "' is not an ISO 8601 date-time such as 2026-03-01T09:30:00Z");
                return null;
            }
        }

        BigDecimal nonNegativeDecimal(String name) {
            var node = value(name);
            if (node == null) {
                return null;
            }
            if (!node.isNumber()) {
                problem(prefix + name + ": must be a number, got " + describe(node));
                return null;
            }
            var value = node.decimalValue();
            if (value.signum() < 0) {
                problem(prefix + name + ": must not be negative, got " + value.toPlainString());
                return null;
            }
            return value;
        }

        Integer integer(String name, int min, int max) {
            var node = value(name);
            if (node == null) {
                return null;
            }
            if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
                var range = max == Integer.MAX_VALUE ? "of at least " + min : "from " + min + " to " + max;
                problem(prefix + name + ": must be an integer " + range + ", got " + describe(node));
                return null;
            }
            return node.intValue();
        }

        Boolean bool(String name) {
            var node = value(name);
            if (node == null) {
                return null;
            }
            if (!node.isBoolean()) {
                problem(prefix + name + ": must be true or false, got " + describe(node));
                return null;
            }
            return node.booleanValue();
        }

        /** A JSON object, kept as its JSON text. */
        String object(String name) {
            var node = value(name);
            if (node == null) {
                return null;
            }
            if (!node.isObject()) {
                problem(prefix + name + ": must be a JSON object, got " + describe(node));
                return null;
            }
            return node.toString();
        }

        private static String describe(JsonNode node) {
            var text = node.toString();
            return text.length() > 60 ? text.substring(0, 57) + "..." : text;
        }
    }
}
