package dev.callanalytics.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callanalytics.http.Echo;
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
    /** Minutes and costs: below 1e12, at most 20 decimals; enough for any call, bounded for every writer. */
    static final int MAX_INTEGER_DIGITS = 12;
    static final int MAX_FRACTION_DIGITS = 20;
    /** Numbers inside usage: what PostgreSQL's numeric keeps with room to spare. */
    static final int MAX_JSON_DIGITS = 1000;

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
            var problem = roomNameProblem(roomName.get());
            if (problem != null) {
                f.problem("room_name in the URL: " + problem);
            } else if (room != null && !room.equals(roomName.get())) {
                f.problem("room_name: '" + Echo.of(room) + "' differs from the room name in the URL, '" + Echo.of(roomName.get()) + "'");
            }
            room = roomName.get();
        } else if (room == null && f.isValid("room_name")) {
            f.problem("room_name: required");
        }
        if (room != null && roomName.isEmpty()) {
            var problem = roomNameProblem(room);
            if (problem != null) {
                f.problem("room_name: " + problem);
            }
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
                f.usage("usage"),
                transcripts(json.get("transcripts"), f));
        return f.problems.isEmpty() ? new Valid(call) : new Invalid(room, List.copyOf(f.problems));
    }

    /** What is wrong with a room name, or null: it names the call in URLs and logs, so it is plain text. */
    public static String roomNameProblem(String room) {
        if (room.isBlank() || room.length() > MAX_ROOM_NAME) {
            return "must be 1 to " + MAX_ROOM_NAME + " characters, not blank";
        }
        var unstorable = Echo.unstorable(room);
        if (unstorable != null) {
            return unstorable;
        }
        if (room.chars().anyMatch(Character::isISOControl)) {
            return "must not contain control characters";
        }
        return null;
    }

    /** Digits before the decimal point (0 for a value below 1), computed without writing the value out. */
    private static int integerDigits(BigDecimal value) {
        return value.signum() == 0 ? 0 : Math.max(0, value.precision() - value.scale());
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

        /** Whether a problem with {@code name} was reported already (its type, say), so that "required" would repeat it. */
        boolean isValid(String name) {
            var label = prefix + name + ":";
            return problems.stream().noneMatch(problem -> problem.startsWith(label));
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
            var unstorable = Echo.unstorable(node.textValue());
            if (unstorable != null) {
                problem(prefix + name + ": " + unstorable);
                return null;
            }
            return node.textValue();
        }

        String oneOf(String name, List<String> allowed) {
            var value = text(name);
            if (value != null && !allowed.contains(value)) {
                problem(prefix + name + ": '" + Echo.of(value) + "' is not one of " + String.join(", ", allowed));
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
                problem(prefix + name + ": '" + Echo.of(value) + "' is not a UUID");
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
            Instant instant;
            try {
                instant = Instants.parse(node.textValue());
            } catch (DateTimeParseException e) {
                problem(prefix + name + ": '" + Echo.of(node.textValue()) + "' is not an ISO 8601 date-time such as 2026-03-01T09:30:00Z");
                return null;
            }
            if (!Instants.inRange(instant)) {
                problem(prefix + name + ": '" + Echo.of(node.textValue()) + "' is outside " + Instants.RANGE);
                return null;
            }
            // kept to the microsecond, as PostgreSQL keeps it: what is stored is what is compared
            return Instants.floorMicros(instant);
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
            // bounded before anything writes it out in full: 1e999999999 is 11 bytes of JSON and a
            // billion digits as plain text
            if (integerDigits(value) > MAX_INTEGER_DIGITS) {
                problem(prefix + name + ": must be less than 1e" + MAX_INTEGER_DIGITS + ", got " + describe(node));
                return null;
            }
            if (value.stripTrailingZeros().scale() > MAX_FRACTION_DIGITS) {
                problem(prefix + name + ": at most " + MAX_FRACTION_DIGITS + " digits after the decimal point, got " + describe(node));
                return null;
            }
            if (value.signum() < 0) {
                problem(prefix + name + ": must not be negative, got " + describe(node));
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

        /** A JSON object, kept as its JSON text (PostgreSQL jsonb): every string and number in it storable. */
        String object(String name) {
            var node = value(name);
            if (node == null) {
                return null;
            }
            if (!node.isObject()) {
                problem(prefix + name + ": must be a JSON object, got " + describe(node));
                return null;
            }
            var problem = unstorableJson(node, prefix + name);
            if (problem != null) {
                problem(problem);
                return null;
            }
            return node.toString();
        }

        /**
         * The usage object of an end-call report: any JSON object (kept whole), whose numbers the
         * token endpoints sum being what they say: counts whole and not negative, seconds not negative.
         */
        String usage(String name) {
            var json = object(name);
            if (json == null) {
                return null;
            }
            var node = value(name);
            int problemsBefore = problems.size();
            for (var key : IncomingCall.USAGE_COUNTS) {
                usageNumber(node, name, key, true);
            }
            for (var key : IncomingCall.USAGE_SECONDS) {
                usageNumber(node, name, key, false);
            }
            return problems.size() == problemsBefore ? json : null;
        }

        private void usageNumber(JsonNode usage, String name, String key, boolean whole) {
            var node = usage.get(key);
            if (node == null || node.isNull()) {
                return;
            }
            var path = prefix + name + "." + key;
            if (!node.isNumber() || node.decimalValue().signum() < 0) {
                problem(path + ": must be a number of at least 0, got " + describe(node));
                return;
            }
            var value = node.decimalValue();
            if (integerDigits(value) > MAX_INTEGER_DIGITS + 3 || value.scale() > MAX_FRACTION_DIGITS) {
                problem(path + ": must be less than 1e15 with at most " + MAX_FRACTION_DIGITS + " decimals, got " + describe(node));
            } else if (whole && value.stripTrailingZeros().scale() > 0) {
                problem(path + ": must be a whole number, got " + describe(node));
            }
        }

        /** The first part of a JSON value that jsonb cannot keep (NUL, a lone surrogate, a number past numeric's range). */
        private static String unstorableJson(JsonNode node, String path) {
            if (node.isTextual()) {
                var problem = Echo.unstorable(node.textValue());
                return problem == null ? null : path + ": " + problem;
            }
            if (node.isNumber()) {
                var value = node.decimalValue();
                return integerDigits(value) > MAX_JSON_DIGITS || value.scale() > MAX_JSON_DIGITS
                        ? path + ": the number " + describe(node) + " is out of range" : null;
            }
            for (var fields = node.fields(); fields.hasNext(); ) {
                var field = fields.next();
                var keyProblem = Echo.unstorable(field.getKey());
                if (keyProblem != null) {
                    return path + ": a key " + keyProblem;
                }
                var problem = unstorableJson(field.getValue(), path + "." + Echo.of(field.getKey(), 20));
                if (problem != null) {
                    return problem;
                }
            }
            for (int i = 0; node.isArray() && i < node.size(); i++) {
                var problem = unstorableJson(node.get(i), path + "[" + i + "]");
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }

        private static String describe(JsonNode node) {
            // a number as BigDecimal writes it (1E+999999999), never expanded
            return node.isNumber() ? Echo.of(node.decimalValue().toString()) : Echo.of(node.toString());
        }
    }
}
