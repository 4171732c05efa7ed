package dev.callanalytics.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializerBase;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * The API's JSON conventions in one place: snake_case names from record components, decimals
 * written as plain JSON numbers, instants as ISO 8601 UTC with milliseconds
 * ({@code 2024-01-20T14:30:02.000Z}).
 */
public final class Json {

    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Json() {
    }

    /**
     * What request bodies are read with: one JSON value and nothing after it, numbers with a
     * fraction kept exact (BigDecimal, never a double).
     */
    public static final ObjectMapper READER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                                                                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public static ObjectMapper mapper() {
        var instants = new SimpleModule("utc-instants")
                .addSerializer(Instant.class, new ToStringSerializerBase(Instant.class) {
                    @Override
                    public String valueToString(Object value) {
                        return format((Instant) value);
                    }
                })
                .addSerializer(OffsetDateTime.class, new ToStringSerializerBase(OffsetDateTime.class) {
                    @Override
                    public String valueToString(Object value) {
                        return format(((OffsetDateTime) value).toInstant());
                    }
                });
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .registerModule(instants)
                .configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true)
                .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
    }

    /**
     * What is wrong with a JSON text, in our words: where (line and column) and Jackson's reason,
     * without the parts of its message that name its own classes and settings or quote the input
     * at length.
     */
    public static String problem(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return "a number, a string or the nesting of the JSON is beyond what the API accepts"
                   + " (numbers of at most 1000 digits, nesting at most 1000 deep)";
        }
        var reason = e.getOriginalMessage() == null ? "cannot be parsed" : e.getOriginalMessage();
        reason = SOURCE.matcher(reason).replaceAll("");
        reason = BACKTICKED.matcher(reason).replaceAll("");
        reason = Echo.of(reason.strip(), 120);
        var location = e.getLocation();
        if (location == null || location.getLineNr() < 0) {
            return reason;
        }
        return reason + (location.getLineNr() == 1 ? " (column " : " (line " + location.getLineNr() + ", column ")
               + location.getColumnNr() + ")";
    }

    private static final Pattern SOURCE = Pattern.compile("\\s*\\(?\\[Source:[^\\]]*\\]\\)?");
    /** Jackson quotes its own classes and settings in backticks: "(from `StreamReadConstraints...`)". */
    private static final Pattern BACKTICKED = Pattern.compile("\\s*\\([^()]*`[^()]*\\)|`[^`]*`");

    public static String format(Instant instant) {
        return UTC_MILLIS.format(instant);
    }
}
