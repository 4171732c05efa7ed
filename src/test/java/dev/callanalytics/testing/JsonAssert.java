package dev.callanalytics.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Comparator;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares JSON as trees: field order does not matter, and numbers compare by exact decimal
 * value (4.5 equals 4.50, but 4.03 never equals 4.029999).
 */
public final class JsonAssert {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private JsonAssert() {
    }

    /** As {@link #assertJson(String, JsonNode)}, for an expectation built as a tree. */
    public static void assertJson(JsonNode expected, JsonNode actual) {
        try {
            var expectedTree = JSON.readTree(expected.toString());
            var actualTree = JSON.readTree(actual.toString());
            assertTrue(expectedTree.equals(NUMBERS_BY_VALUE, actualTree),
                       () -> "expected: " + expectedTree.toPrettyString() + "\nactual: " + actualTree.toPrettyString());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** {@code expected} may use single quotes for readability. */
    public static void assertJson(String expected, JsonNode actual) {
        try {
            var expectedTree = JSON.readTree(expected.replace('\'', '"'));
            var actualTree = JSON.readTree(actual.toString());
            assertTrue(expectedTree.equals(NUMBERS_BY_VALUE, actualTree),
                       () -> "expected: " + expectedTree.toPrettyString() + "\nactual: " + actualTree.toPrettyString());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("JSON does not parse: " + expected, e);
        }
    }
}
