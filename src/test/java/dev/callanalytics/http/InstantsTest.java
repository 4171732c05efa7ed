package dev.callanalytics.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The hand-written fast path reads exactly what java.time reads, and refuses what it refuses. */
class InstantsTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-03-10T09:00:00Z", "2026-03-10T09:00:00.5Z", "2026-03-10T09:00:00.123456789Z",
                            "2024-02-29T23:59:59.999999Z", "2026-03-10T09:00:00+05:30", "2026-03-10T09:00:00.250-08:00",
                            "2026-12-31T23:59:59+14:00", "2026-03-10T09:00:00.1234567891Z"})
    void readsWhatJavaTimeReads(String text) {
        var expected = OffsetDateTime.parse(text.replace(".1234567891", ".123456789")).toInstant();
        assertEquals(expected, Instants.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T09:00:00Z", "2026-13-01T09:00:00Z", "2026-03-10T24:00:00Z",
                            "2026-03-10T09:60:00Z", "2026-03-10", "yesterday", "2026-03-10T9:00:00Z"})
    void refusesWhatIsNotADateTime(String text) {
        assertThrows(DateTimeParseException.class, () -> Instants.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-03-10T09:00:00", "2026-03-10T09:00", "2026-03-10t09:00:00z", "2026-03-10T09:00:00+0530",
                            "2026-03-10T09:00:00+05"})
    void readsTheOtherFormsThroughTheGeneralParser(String text) {
        var normalized = text.toUpperCase().replace("+0530", "+05:30").replaceFirst("\\+05$", "+05:00");
        var expected = normalized.matches(".*([+-]\\d\\d:\\d\\d|Z)$")
                ? OffsetDateTime.parse(normalized).toInstant()
                : java.time.LocalDateTime.parse(normalized).toInstant(java.time.ZoneOffset.UTC);
        assertEquals(expected, Instants.parse(text));
    }
}
